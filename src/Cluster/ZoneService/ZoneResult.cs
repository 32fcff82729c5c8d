using System.Diagnostics.CodeAnalysis;

namespace AkkaDns.Cluster.ZoneService;

/// <summary>Either a value or a <see cref="ZoneError"/>, never both.</summary>
internal readonly struct ZoneResult<T>
{
    private ZoneResult(T? value, ZoneError? error) { Value = value; Error = error; }

    public T? Value { get; }
    public ZoneError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsOk => Error is null;

    public static ZoneResult<T> Ok(T value) => new(value, null);
    public static ZoneResult<T> Fail(ZoneError error) => new(default, error);

    public static implicit operator ZoneResult<T>(T value) => Ok(value);
    public static implicit operator ZoneResult<T>(ZoneError error) => Fail(error);

    public ZoneResult<TOut> Map<TOut>(Func<T, TOut> map) => IsOk ? ZoneResult<TOut>.Ok(map(Value)) : ZoneResult<TOut>.Fail(Error);

    public override string ToString() => IsOk ? $"Ok({Value})" : $"Fail({Error})";
}
