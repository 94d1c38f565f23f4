System.Console.WriteLine(AttributeGan.Models.Probe.Run());
