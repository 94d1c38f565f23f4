// Every attributegan command (models, describe, synth, train, sample, interpolate, classifier, evaluate, bench, doctor)
// for the models compiled from specs/*.yaml.
return AttributeGan.Cli.AttributeGanCli.Run(args, AttributeGanApp.Specs.ModelCatalog.All);
