// Every attributegan command for the models compiled from specs/ (Consumer.Specs.ModelCatalog, generated at build time).
return AttributeGan.Cli.AttributeGanCli.Run(args, Consumer.Specs.ModelCatalog.All);
