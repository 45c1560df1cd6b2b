using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Puma.Runtime.Tests")]
