using System;
using AttributeGan.Runtime;

namespace AttributeGan.Evaluation;

/// <summary>
/// A problem with what evaluation was given (a classifier file, a run, data or settings that do not fit together).
/// The message names the file or setting and the fix; the command line prints it as one line (exit code 2).
/// </summary>
public sealed class EvaluationException : UserInputException
{
    public EvaluationException(string message) : base(message)
    {
    }

    public EvaluationException(string message, Exception inner) : base(message, inner)
    {
    }
}
