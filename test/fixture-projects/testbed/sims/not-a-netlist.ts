// A netlist file whose default export is not a netlist: the plugin must say so.
export default { description: "I forgot defineNetlist" };
