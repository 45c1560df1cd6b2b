using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Puma.Buffers.Tests")]
[assembly: InternalsVisibleTo("Puma.Runnables.Tests")]
[assembly: InternalsVisibleTo("Puma.Runnables")]
[assembly: InternalsVisibleTo("Puma.Runtime")]
[assembly: InternalsVisibleTo("Puma.Bench")]
[assembly: InternalsVisibleTo("Puma.Cluster.Tests")]
[assembly: InternalsVisibleTo("Puma.Runtime.Tests")]
