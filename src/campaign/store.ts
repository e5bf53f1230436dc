/**
 * The campaign's analytical store: a DuckDB database file and Parquet files, through
 * `@duckdb/node-api`. Tables are declared once (`TableSpec`: column names and SQL types) and filled
 * through DuckDB's appender, in the caller's order; Parquet files are `COPY`s of tables, in that
 * order. DuckDB runs on one thread with extension auto-install off: the rows land in the order they
 * were appended, the Parquet bytes depend only on the rows, and nothing reaches for the network.
 */
import { TokenspiceError, isTokenspiceError, messageOf } from "../errors";

/** The SQL types the store uses. */
export type SqlType = "VARCHAR" | "INTEGER" | "BIGINT" | "DOUBLE" | "BOOLEAN";

/** A column of the DuckDB store: its name and SQL type. */
export interface ColumnSpec {
  name: string;
  type: SqlType;
}

/** A table of the DuckDB store: its name and columns, in order. */
export interface TableSpec {
  name: string;
  columns: ColumnSpec[];
}

/** A row's cell, as the caller has it: converted to the column's type on the way in. */
export type Cell = string | number | bigint | boolean | null;

type DuckDb = typeof import("@duckdb/node-api");
type Connection = import("@duckdb/node-api").DuckDBConnection;
type Instance = import("@duckdb/node-api").DuckDBInstance;
type Appender = import("@duckdb/node-api").DuckDBAppender;

/** `"name"` quoted for SQL: any text (spaces, quotes, Unicode) is a valid identifier this way. */
export function sqlIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'` quoted for SQL. */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * Column names made unique the way DuckDB compares them (case-insensitively): a later name equal
 * to an earlier one gets `_2`, `_3`, … (params `fee` and `Fee` become `param_fee` and `param_Fee_2`).
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let candidate = name;
    for (let i = 2; seen.has(candidate.toLowerCase()); i++) candidate = `${name}_${i}`;
    seen.add(candidate.toLowerCase());
    return candidate;
  });
}

function storeError(what: string, file: string, cause: unknown): TokenspiceError {
  if (isTokenspiceError(cause)) return cause;
  return new TokenspiceError("STORE_FAILED", `DuckDB failed ${what} (${file}): ${messageOf(cause)}`, { file }, cause);
}

/**
 * DuckDB's buffer pool: beyond it, DuckDB evicts the blocks it has written (or spills to a temp
 * folder beside the file) instead of growing. Its default is 80% of the machine's memory.
 */
export const MEMORY_LIMIT = "256MB";

/** Rows buffered per data chunk (DuckDB's vector size). */
const CHUNK_ROWS = 2048;

/** Appends rows to one table, a data chunk at a time. */
export class TableWriter {
  private columns: Cell[][];
  private rows = 0;
  private total = 0;

  constructor(
    private readonly duckdb: DuckDb,
    private readonly appender: Appender,
    readonly spec: TableSpec,
  ) {
    this.columns = spec.columns.map(() => []);
  }

  /** Appends one row: a cell per column, in the table's column order. */
  row(cells: readonly Cell[]): void {
    if (cells.length !== this.spec.columns.length) {
      throw new TokenspiceError("STORE_FAILED", `A row of table ${this.spec.name} has ${cells.length} cells for ${this.spec.columns.length} columns.`, { table: this.spec.name });
    }
    for (let i = 0; i < cells.length; i++) this.columns[i].push(toSql(cells[i], this.spec.columns[i].type));
    this.rows++;
    this.total++;
    if (this.rows === CHUNK_ROWS) this.flush();
  }

  get count(): number {
    return this.total;
  }

  flush(): void {
    if (this.rows === 0) return;
    const types = this.spec.columns.map((c) => sqlTypeOf(this.duckdb, c.type));
    const chunk = this.duckdb.DuckDBDataChunk.create(types, this.rows);
    chunk.setColumns(this.columns);
    this.appender.appendDataChunk(chunk);
    this.columns = this.spec.columns.map(() => []);
    this.rows = 0;
  }

  /** Hands every row appended so far to DuckDB (its appender commits them). */
  commit(): void {
    this.flush();
    this.appender.flushSync();
  }

  close(): void {
    this.flush();
    this.appender.closeSync();
  }
}

function sqlTypeOf(duckdb: DuckDb, type: SqlType) {
  switch (type) {
    case "VARCHAR":
      return duckdb.VARCHAR;
    case "INTEGER":
      return duckdb.INTEGER;
    case "BIGINT":
      return duckdb.BIGINT;
    case "DOUBLE":
      return duckdb.DOUBLE;
    case "BOOLEAN":
      return duckdb.BOOLEAN;
  }
}

/** A cell as the appender takes it for the column's type (BIGINT wants a bigint). */
function toSql(cell: Cell, type: SqlType): Cell {
  if (cell === null) return null;
  switch (type) {
    case "BIGINT":
      return typeof cell === "bigint" ? cell : BigInt(cell);
    case "INTEGER":
    case "DOUBLE":
      return typeof cell === "number" ? cell : Number(cell);
    case "BOOLEAN":
      return Boolean(cell);
    case "VARCHAR":
      return String(cell);
  }
}

/** A DuckDB database file being built. */
export class Store {
  private constructor(
    private readonly duckdb: DuckDb,
    private readonly instance: Instance,
    private readonly connection: Connection,
    readonly file: string,
  ) {}

  /**
   * Loads DuckDB's module and native library (≈0.25 s the first time) without opening a database:
   * `warmCampaignOutputs`.
   */
  static load(): void {
    loadDuckDb();
  }

  /**
   * Creates a new database at `file` (which must not exist). One thread: rows keep the order they
   * are appended in, and Parquet files come out the same byte for byte from the same rows. Memory
   * is capped at MEMORY_LIMIT; extensions are never downloaded (Parquet is built in).
   *
   * @throws TokenspiceError STORE_FAILED
   */
  static async create(file: string): Promise<Store> {
    try {
      const duckdb = loadDuckDb();
      const instance = await duckdb.DuckDBInstance.create(file, { threads: "1", memory_limit: MEMORY_LIMIT, autoinstall_known_extensions: "false" });
      const connection = await instance.connect();
      return new Store(duckdb, instance, connection, file);
    } catch (error) {
      throw storeError("creating the database", file, error);
    }
  }

  /** Creates a table and returns a writer that appends to it. */
  async table(spec: TableSpec): Promise<TableWriter> {
    try {
      const columns = spec.columns.map((c) => `${sqlIdentifier(c.name)} ${c.type}`).join(", ");
      await this.connection.run(`CREATE TABLE ${sqlIdentifier(spec.name)} (${columns})`);
      return new TableWriter(this.duckdb, await this.connection.createAppender(spec.name), spec);
    } catch (error) {
      throw storeError(`creating table ${spec.name}`, this.file, error);
    }
  }

  /**
   * Commits the writers' rows and checkpoints: DuckDB writes the tables' new row groups to the
   * file and frees the memory that held them (appended rows otherwise stay in memory, with the
   * write-ahead log, until the database is closed).
   */
  async checkpoint(writers: readonly TableWriter[]): Promise<void> {
    try {
      for (const w of writers) w.commit();
      await this.connection.run("CHECKPOINT");
    } catch (error) {
      throw storeError("checkpointing the database", this.file, error);
    }
  }

  /** Writes a table to a Parquet file, its rows in the order they were appended. */
  async toParquet(table: string, file: string): Promise<void> {
    try {
      await this.connection.run(`COPY (SELECT * FROM ${sqlIdentifier(table)}) TO ${sqlString(file)} (FORMAT parquet)`);
    } catch (error) {
      throw storeError(`writing table ${table} to Parquet`, file, error);
    }
  }

  async run(sql: string): Promise<void> {
    try {
      await this.connection.run(sql);
    } catch (error) {
      throw storeError("running SQL", this.file, error);
    }
  }

  /** Checkpoints (no write-ahead log left beside the file) and closes the database. */
  async close(): Promise<void> {
    try {
      await this.connection.run("CHECKPOINT");
    } catch (error) {
      throw storeError("checkpointing the database", this.file, error);
    } finally {
      this.dispose();
    }
  }

  /** Closes without checkpointing (after a failure); never throws. */
  dispose(): void {
    try {
      this.connection.closeSync();
    } catch {
      // already closed
    }
    try {
      this.instance.closeSync();
    } catch {
      // already closed
    }
  }
}

function loadDuckDb(): DuckDb {
  return require("@duckdb/node-api") as DuckDb;
}
