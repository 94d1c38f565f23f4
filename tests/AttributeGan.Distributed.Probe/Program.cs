using System;

Console.Error.WriteLine("usage: probe <scenario>");
return 2;
