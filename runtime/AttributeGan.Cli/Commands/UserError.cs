using AttributeGan.Runtime;

namespace AttributeGan.Cli.Commands;

/// <summary>A mistake in what the user asked for: printed as one clear line, exit code 2, no stack trace.</summary>
internal sealed class UserError(string message) : UserInputException(message)
{
}
