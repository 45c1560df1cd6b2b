using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Puma.Runtime.Tests")]
[assembly: InternalsVisibleTo("Puma.Cluster.Tests")]
[assembly: InternalsVisibleTo("Puma.Node")]
[assembly: InternalsVisibleTo("Puma.Bench")]
[assembly: InternalsVisibleTo("Puma.Hosting")]
