// The node agent: see Puma.Runtime.Cluster.Node.NodeProgram for the options.
return Puma.Runtime.Cluster.Node.NodeProgram.Main(args);
