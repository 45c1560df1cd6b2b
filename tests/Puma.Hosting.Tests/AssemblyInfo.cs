// One test at a time: the tests look at this process's file descriptors for shared-memory segments and at
// Environment.ExitCode, both process-wide.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
