using System.CommandLine;
using AttributeGan.Cli.Commands;

var root = new RootCommand("AttributeGan: multi-attribute controllable synthesis of histopathology images, from YAML specs to trained models.");
root.Subcommands.Add(ModelsCommand.Create());
root.Subcommands.Add(DescribeCommand.Create());
return root.Parse(args).Invoke();
