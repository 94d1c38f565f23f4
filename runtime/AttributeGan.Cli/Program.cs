using System.CommandLine;
using AttributeGan.Cli.Commands;
using Spectre.Console;

// Before any tensor exists: libtorch's OpenMP threads sleep rather than spin while waiting (see OpenMpWaiting).
AttributeGan.Runtime.OpenMpWaiting.PreferPassive();

// Piped or logged output is not wrapped at 80 columns.
if (System.Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;

var root = new RootCommand("AttributeGan: multi-attribute controllable synthesis of histopathology images, from YAML specs to trained models.");
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(DescribeCommand.Create());
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(TrainCommand.Create());
root.Subcommands.Add(SampleCommand.Create());
root.Subcommands.Add(InterpolateCommand.Create());
root.Subcommands.Add(ClassifierCommand.Create());
root.Subcommands.Add(EvaluateCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
root.Subcommands.Add(DoctorCommand.Create());
return root.Parse(args).Invoke();
