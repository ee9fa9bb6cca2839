using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DeepSeek.Pipeline.Audit;

/// <summary>
/// Chain partitions: one chain per UTC hour and shard, <c>yyyyMMddTHH-{shard}</c> (for example <c>20250131T09-0</c>).
/// A record's partition follows from its completion time and key alone, so a stage that runs twice appends to the
/// same partition; shards spread concurrent appends over several heads.
/// </summary>
public static class AuditPartition
{
    private const string HourFormat = "yyyyMMdd'T'HH";
    private const int HourLength = 11;

    /// <summary>Gets the partition of a record.</summary>
    /// <param name="at">The record's time (a request's completion time).</param>
    /// <param name="key">The record key.</param>
    /// <param name="shards">The number of shards per hour, at least 1.</param>
    /// <returns>The partition name.</returns>
    public static string For(DateTimeOffset at, string key, int shards)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        // SHA-256, not string.GetHashCode: the shard must be the same in every process.
        uint h = BinaryPrimitives.ReadUInt32LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        return string.Create(CultureInfo.InvariantCulture, $"{HourPrefix(at)}-{h % (uint)shards}");
    }

    /// <summary>Gets the name prefix every partition of an hour shares.</summary>
    /// <param name="at">A time in the hour.</param>
    /// <returns>For example <c>20250131T09</c>.</returns>
    public static string HourPrefix(DateTimeOffset at) => at.UtcDateTime.ToString(HourFormat, CultureInfo.InvariantCulture);

    /// <summary>Reads the hour a partition covers.</summary>
    /// <param name="partition">The partition name.</param>
    /// <param name="hour">The start of the hour (UTC).</param>
    /// <returns>True when the name is a partition name.</returns>
    public static bool TryParseHour(string partition, out DateTimeOffset hour)
    {
        hour = default;
        return partition is not null && partition.Length >= HourLength
            && DateTimeOffset.TryParseExact(partition[..HourLength], HourFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out hour);
    }
}
