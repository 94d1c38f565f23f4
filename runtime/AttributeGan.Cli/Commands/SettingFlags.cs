using System;
using System.Collections.Generic;
using System.CommandLine;
using AttributeGan.Runtime;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// Which command-line option sets which library setting, so that a setting the library refuses
/// (<see cref="InvalidSettingException"/>, named as code sees it: <c>TrainOptions.Batch</c>) is reported under the flag
/// the user typed (<c>--batch</c>).
/// </summary>
internal sealed class SettingFlags
{
    private readonly Dictionary<(Type Options, string Property), string> flags = new();

    /// <summary>Records that <paramref name="option"/> sets <paramref name="property"/> of <typeparamref name="TOptions"/>.</summary>
    public SettingFlags Add<TOptions>(string property, Option option)
    {
        flags[(typeof(TOptions), property)] = option.Name;
        return this;
    }

    /// <summary>The refusal's message naming the flag, or the library's own message for a setting no flag sets.</summary>
    public string Message(InvalidSettingException e) =>
        flags.TryGetValue((e.Options, e.Property), out var flag) ? e.MessageFor(flag) : e.Message;
}
