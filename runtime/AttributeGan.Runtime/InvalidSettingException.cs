using System;

namespace AttributeGan.Runtime;

/// <summary>
/// A setting has a value the library cannot work with. It is named as code sees it, the options type and property
/// (<c>TrainOptions.Batch</c>), and the message is that name followed by <see cref="Problem"/>. A front end that
/// exposes the setting under another name, such as the command line's <c>--batch</c>, words the message with
/// <see cref="MessageFor"/>.
/// </summary>
/// <param name="options">The options type the setting belongs to, e.g. <c>typeof(TrainOptions)</c>.</param>
/// <param name="property">The setting's property, e.g. <c>nameof(TrainOptions.Batch)</c>.</param>
/// <param name="problem">What is wrong and the fix, to follow the setting's name: "must be at least 1, got 0."</param>
public sealed class InvalidSettingException(Type options, string property, string problem) : ArgumentException($"{options.Name}.{property} {problem}")
{
    /// <summary>The options type the setting belongs to.</summary>
    public Type Options { get; } = options;

    /// <summary>The setting's property name.</summary>
    public string Property { get; } = property;

    /// <summary>What is wrong and the fix, without the setting's name.</summary>
    public string Problem { get; } = problem;

    /// <summary>The message with the setting called <paramref name="name"/> (e.g. a command-line flag).</summary>
    public string MessageFor(string name) => $"{name} {Problem}";
}
