using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Puma.Logging.Tests")]
[assembly: InternalsVisibleTo("Puma.Runtime")]
[assembly: InternalsVisibleTo("Puma.Runtime.Tests")]
