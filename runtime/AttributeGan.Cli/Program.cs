// The attributegan executable: every command for the specs compiled into AttributeGan.Models (the repository's specs/).
return AttributeGan.Cli.AttributeGanCli.Run(args, AttributeGan.Models.SpecCatalog.Shipped);
