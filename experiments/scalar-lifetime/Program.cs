// TorchSharp 0.107 converts a number to a Scalar implicitly (x + y calls add(y, 1); clamp(-1, 1)) and hands the
// Scalar's native handle to libtorch without keeping the managed object alive; it has a finalizer. A garbage collection
// during the native call can finalize it and free the native Scalar while libtorch reads it: "Expected false to be
// true" from c10::Scalar::toFloat (an unknown type tag) or "Unknown scalar type". This program provokes collections on
// a second thread while the main thread adds and clamps small tensors.
//   implicit: the operators as written everywhere (fails within seconds here);
//   explicit: Scalars created once and kept alive by `using` (no failure in 3,000,000 iterations here).
using System;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

if (args.Length != 2 || args[0] is not ("implicit" or "explicit") || !long.TryParse(args[1], out long iterations))
{
    Console.Error.WriteLine("usage: scalar-lifetime implicit|explicit ITERATIONS");
    return 2;
}

bool useImplicit = args[0] == "implicit";
var x = rand(8, 8);                                                                      // (8, 8)
var y = rand(8, 8);                                                                      // (8, 8)
bool stop = false;
var collections = new Thread(() =>
{
    while (!Volatile.Read(ref stop)) GC.Collect(0, GCCollectionMode.Forced, blocking: false);
}) { IsBackground = true };
collections.Start();

using var one = 1.ToScalar();
using var low = (-1).ToScalar();
using var high = 1.ToScalar();
for (long i = 0; i < iterations; i++)
{
    using var scope = NewDisposeScope();
    _ = useImplicit ? (x + y).clamp(-1, 1) : x.add(y, one).clamp(low, high);          // (8, 8)
    if (i % 500_000 == 0) Console.WriteLine($"{args[0]}: {i:N0} iterations");
}

Volatile.Write(ref stop, true);
Console.WriteLine($"{args[0]}: {iterations:N0} iterations without a failure");
return 0;
