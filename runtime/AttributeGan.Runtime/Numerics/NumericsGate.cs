using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Numerics;
using TorchSharp;

namespace AttributeGan.Runtime.Numerics;

/// <summary>A model's numerics did not match their float64 reference on this machine; the message says what to do.</summary>
public sealed class NumericsCheckException(string message) : Exception(message);

/// <summary>What a run records of the numerics check it started with (run.json, README.txt).</summary>
/// <param name="OneDnn">"on", or "off" when the fallback switched libtorch's oneDNN kernels off.</param>
/// <param name="Summary">The check's one-line result.</param>
/// <param name="FailedFirst">The failed check that made the fallback switch oneDNN off, if it did.</param>
public sealed record NumericsRecord(DateTime CheckedUtc, string Model, bool Passed, string OneDnn, int Threads, int Batch, double Seconds,
    double LargestRelativeError, string LargestIn, double Tolerance, string Summary, string? FailedFirst)
{
    public static NumericsRecord From(NumericsReport report, string? failedFirst = null)
    {
        var worst = report.Worst;
        return new NumericsRecord(DateTime.UtcNow, report.Model, report.Passed, LibTorchNative.OneDnnEnabled == false ? "off" : "on",
            report.Threads, report.Batch, Math.Round(report.Elapsed.TotalSeconds, 2), worst.Worst.RelativeError,
            $"{worst.Network} {worst.Block}: {worst.Worst.Quantity}", report.Tolerance, report.Summary(), failedFirst);
    }
}

/// <summary>
/// Runs <see cref="NumericsCheck"/> before training and refuses to train on numbers that differ from their reference,
/// unless the user allowed the fallback: then libtorch's oneDNN kernels are switched off and the check must pass on the
/// reference kernels instead.
/// </summary>
public static class NumericsGate
{
    /// <summary>How much slower a training step runs with oneDNN off, as measured (docs/results/bench.md); said in the error.</summary>
    public const string FallbackCost = "4.4–5.9× slower per training step, measured on a 2-core CPU";

    /// <param name="fallback">On a failed check, switch oneDNN off and check again instead of refusing.</param>
    /// <param name="message">Receives a line about what the gate did (the check's result, the fallback).</param>
    /// <exception cref="NumericsCheckException">The check failed (and the fallback was not allowed, or did not help).</exception>
    public static NumericsRecord Require(IGanSpec spec, torch.Device device, bool fallback, Action<string> message) =>
        Require(() => NumericsCheck.Run(spec, device), device.type == DeviceType.CPU, fallback, message);

    /// <param name="check">Runs the numerics check with the kernels in use when it is called.</param>
    /// <param name="onCpu">Whether the check runs on the CPU, where oneDNN is what the fallback switches off.</param>
    /// <param name="fallback">On a failed check, switch oneDNN off and check again instead of refusing.</param>
    /// <param name="message">Receives a line about what the gate did.</param>
    public static NumericsRecord Require(Func<NumericsReport> check, bool onCpu, bool fallback, Action<string> message)
    {
        var report = check();
        message("numerics: " + report.Summary());
        if (report.Passed) return NumericsRecord.From(report);

        bool oneDnnApplies = onCpu && LibTorchNative.OneDnnEnabled == true;
        if (!fallback || !oneDnnApplies)
        {
            throw new NumericsCheckException(
                $"The numerics check failed: {Describe(report)}. Training on this machine would use wrong numbers. " +
                (oneDnnApplies
                    ? $"Add --numerics-fallback to switch libtorch's oneDNN kernels off and train on its reference kernels ({FallbackCost}), " +
                      "or run 'attributegan doctor' and report its output with the libtorch version."
                    : "Its reference kernels are in use already; run 'attributegan doctor' and report its output with the libtorch version."));
        }

        LibTorchNative.SetOneDnnEnabled(false);
        message($"numerics: switched libtorch's oneDNN kernels off (--numerics-fallback; {FallbackCost}); checking again");
        var second = check();
        message("numerics: " + second.Summary());
        if (!second.Passed)
        {
            throw new NumericsCheckException(
                $"The numerics check failed even with libtorch's oneDNN kernels off: {Describe(second)}. " +
                "This machine's reference kernels disagree with float64 too; run 'attributegan doctor' and report its output with the libtorch version.");
        }
        return NumericsRecord.From(second, failedFirst: report.Summary());
    }

    private static string Describe(NumericsReport report)
    {
        var failures = report.Failures.ToList();
        IEnumerable<string> shown = failures.Take(3).Select(b =>
            $"{b.Network} block '{b.Block}' ({b.Kind}): {b.Worst.Quantity} off by {NumericsReport.Format(b.Worst.RelativeError)} relative to float64");
        return $"{failures.Count} of {report.Blocks.Count} blocks of {report.Model} disagree with their float64 reference (tolerance " +
               $"{NumericsReport.Format(report.Tolerance)}, {report.Threads} thread(s)): " + string.Join("; ", shown) +
               (failures.Count > 3 ? $"; and {failures.Count - 3} more" : "");
    }
}
