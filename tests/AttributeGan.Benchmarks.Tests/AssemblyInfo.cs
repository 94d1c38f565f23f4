using Xunit;

// TorchSharp's random generator and default dtype are process-wide: run tests one at a time so that
// torch.manual_seed gives every test the same numbers on every run.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
