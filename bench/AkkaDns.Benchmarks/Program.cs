using AkkaDns.Benchmarks;
using BenchmarkDotNet.Running;

// Stopwatch tools (bench/AkkaDns.Benchmarks/AxfrStopwatch.cs); anything else goes to BenchmarkDotNet.
return args.FirstOrDefault() switch
{
    "axfr-stream" => AxfrStopwatch.Stream(args),
    "axfr-client" => AxfrStopwatch.Client(args),
    "axfr-names" => AxfrStopwatch.Names(args),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}
