// Every attributegan command for AttributeGan64 and the recipe variants in specs/ (generated at build time).
return AttributeGan.Cli.AttributeGanCli.Run(args, Recipe64.Specs.ModelCatalog.All);
