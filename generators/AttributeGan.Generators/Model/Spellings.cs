using System.Collections.Generic;

namespace AttributeGan.Generators.Model;

/// <summary>
/// How the spec language spells the values of choice keys whose spelling is not the enum member's name in lower case,
/// shared by the binder (reading, and listing the choices in AGAN024) and the canonical writer (writing them back).
/// </summary>
internal static class Spellings
{
    public static readonly (string Spelling, NormChoice Value)[] Norms =
    {
        ("batch", NormChoice.Batch),
        ("local_batch", NormChoice.LocalBatch),
        ("none", NormChoice.None),
    };

    public static readonly (string Spelling, NegativesChoice Value)[] Negatives =
    {
        ("global_batch", NegativesChoice.GlobalBatch),
        ("local_batch", NegativesChoice.LocalBatch),
    };

    public static readonly (string Spelling, PenaltyChoice Value)[] Penalties =
    {
        ("r1", PenaltyChoice.R1),
        ("one_centred", PenaltyChoice.OneCentred),
    };

    public static readonly (string Spelling, AttentionKindChoice Value)[] AttentionKinds =
    {
        ("efficient", AttentionKindChoice.Efficient),
        ("dot_product", AttentionKindChoice.DotProduct),
    };

    public static readonly (string Spelling, GeneratorBlockChoice Value)[] GeneratorBlocks =
    {
        ("glu", GeneratorBlockChoice.Glu),
        ("residual", GeneratorBlockChoice.Residual),
    };

    public static readonly (string Spelling, DiscriminatorBlockChoice Value)[] DiscriminatorBlocks =
    {
        ("strided", DiscriminatorBlockChoice.Strided),
        ("residual", DiscriminatorBlockChoice.Residual),
    };

    public static readonly (string Spelling, PoolingChoice Value)[] Poolings =
    {
        ("mean", PoolingChoice.Mean),
        ("sum", PoolingChoice.Sum),
    };

    public static readonly (string Spelling, AugmentPolicyChoice Value)[] AugmentPolicies =
    {
        ("colour", AugmentPolicyChoice.Colour),
        ("translation", AugmentPolicyChoice.Translation),
        ("cutout", AugmentPolicyChoice.Cutout),
    };

    public static string Of<T>((string Spelling, T Value)[] choices, T value) where T : struct
    {
        foreach (var choice in choices)
            if (EqualityComparer<T>.Default.Equals(choice.Value, value)) return choice.Spelling;
        return value.ToString()!.ToLowerInvariant();
    }
}
