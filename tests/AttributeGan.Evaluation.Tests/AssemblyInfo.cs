using Xunit;

// TorchSharp's random generator is process-wide: run tests one at a time so that torch.manual_seed gives every test
// the same numbers on every run (and two networks are never timed against each other on 2 cores).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
