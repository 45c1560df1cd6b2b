// Puma.Bench: benchmark CLI. Suites are added by the benchmark issues.
Console.WriteLine("usage: dotnet run --project bench -c Release -- SUITE [--json FILE]");
return 0;
