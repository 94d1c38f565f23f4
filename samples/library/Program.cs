using AttributeGan.Runtime;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Sampling;
using AttributeGan.Runtime.Training;
using Library.Specs;                                   // generated at build time from the specs

// Train the compiled spec Colon32 for N steps on a folder (images + attributes.csv), then sample an attribute grid.
var (data, run, steps) = (args[0], args[1], int.Parse(args[2]));
var spec = Colon32Spec.Instance;
var options = TrainOptions.FromSpec(spec) with { Steps = steps, DataDirectory = data };
using var state = new Trainer(spec, options, new RunDirectory(run)).Run();
var levels = AttributeGridSampler.BaseLevels(spec);    // the attributes not varied stay at their first level
using var grid = AttributeGridSampler.Sample(state.Ema.Generator, spec, "mitosis", levels, columns: 6, seed: 1, Devices.Resolve("cpu"));
using var image = grid.Render($"{spec.Name} after {state.Step} steps: one row per level of mitosis");
image.SavePng(Path.Combine(run, "mitosis.png"));
