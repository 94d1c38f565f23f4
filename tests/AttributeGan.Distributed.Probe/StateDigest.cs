using System;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using static TorchSharp.torch;

namespace AttributeGan.Distributed.Probe;

/// <summary>A short hash of every parameter and buffer value, to compare modules across ranks in one line.</summary>
internal static class StateDigest
{
    public static string Of(nn.Module module)
    {
        var text = new StringBuilder();
        foreach (var (name, tensor) in module.state_dict())
        {
            var values = tensor.detach().cpu().to(ScalarType.Float64).reshape(-1).data<double>().ToArray();
            text.Append(name).Append(':').AppendJoin(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))).Append(';');
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
