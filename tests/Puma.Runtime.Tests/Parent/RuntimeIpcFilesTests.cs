using Puma.Runtime.Parent;

namespace Puma.Runtime.Tests.Parent;

public sealed class RuntimeIpcFilesTests
{
    [Fact]
    public void The_key_is_field_22_counted_after_the_last_parenthesis_of_the_command_name()
    {
        // Field 2 is the command name in parentheses, which may hold spaces and ") (" itself.
        const string stat = "4242 (we ird) (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 4088695 12345 678 18446744073709551615";
        Assert.Equal("4088695", RuntimeIpcFiles.StartTimeOf(stat));
    }

    [Fact]
    public void Exactly_twenty_fields_after_the_name_end_with_the_key()
    {
        // The shortest line that has field 22, and a name that starts the line (")" at index 0).
        Assert.Equal("77", RuntimeIpcFiles.StartTimeOf(") S 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 77"));
    }

    [Fact]
    public void A_null_line_is_refused() =>
        Assert.Throws<ArgumentNullException>(() => RuntimeIpcFiles.StartTimeOf(null!));

    [Fact]
    public void Without_a_directory_the_names_are_in_the_temporary_directory()
    {
        if (!OperatingSystem.IsLinux())
            return; // /proc is Linux's

        Assert.Equal(Path.GetTempPath(), RuntimeIpcFiles.Of(Environment.ProcessId)!.Value.TempDirectory);
        Assert.Equal("/elsewhere", RuntimeIpcFiles.Of(Environment.ProcessId, "/elsewhere")!.Value.TempDirectory);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 no parenthesis S 1 2 3")]
    [InlineData("4242 (short) S 1 2 3")]
    [InlineData("4242 (bad) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 -5 12345")]
    public void A_line_without_a_numeric_field_22_has_no_key(string stat) =>
        Assert.Null(RuntimeIpcFiles.StartTimeOf(stat));

    [Fact]
    public void The_paths_are_the_runtime_s_three_names_for_that_pid_and_start_time()
    {
        var files = new RuntimeIpcFiles(4242, "4088695", "/tmp/x");
        Assert.Equal(
            ["/tmp/x/dotnet-diagnostic-4242-4088695-socket", "/tmp/x/clr-debug-pipe-4242-4088695-in", "/tmp/x/clr-debug-pipe-4242-4088695-out"],
            files.Paths);
    }

    [Fact]
    public void Our_own_process_has_its_diagnostics_socket_under_the_names_computed_for_it()
    {
        if (!OperatingSystem.IsLinux())
            return; // /proc is Linux's

        var files = RuntimeIpcFiles.Of(Environment.ProcessId)!.Value;
        Assert.True(File.Exists(files.Paths.First()), $"{files.Paths.First()} exists while this test host runs");
    }

    [Fact]
    public void Remove_deletes_exactly_the_three_names_and_counts_them()
    {
        var directory = Directory.CreateTempSubdirectory("puma-test-");
        try
        {
            var files = new RuntimeIpcFiles(4242, "77", directory.FullName);
            foreach (var path in files.Paths.Take(2))
                File.WriteAllText(path, "");
            var neighbour = Path.Combine(directory.FullName, "dotnet-diagnostic-4242-78-socket");
            File.WriteAllText(neighbour, "");

            Assert.Equal(2, files.Remove());
            Assert.Equal([neighbour], Directory.GetFiles(directory.FullName));
            Assert.Equal(0, files.Remove());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
