using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Puma.Runnables.Tests")]
[assembly: InternalsVisibleTo("Puma.Runtime")]
[assembly: InternalsVisibleTo("Puma.Runtime.Tests")]
