using AkkaDns.Cluster.Cli;

// The akkadns program: one binary, one verb per operator task (the verbs: Cli/CliRoot.cs).
return await CliRoot.Create().Parse(args).InvokeAsync();
