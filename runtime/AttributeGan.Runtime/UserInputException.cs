using System;

namespace AttributeGan.Runtime;

/// <summary>
/// A problem with what the user asked for or gave (data, files, run directories, a data-parallel launch, an evaluation's
/// inputs): the message names it and the fix, so a front end shows just the message, no stack trace. The command line
/// prints it as one line and exits with code 2. Every kind of such error derives from this type, so a front end
/// catches this one.
/// </summary>
public abstract class UserInputException : Exception
{
    protected UserInputException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}
