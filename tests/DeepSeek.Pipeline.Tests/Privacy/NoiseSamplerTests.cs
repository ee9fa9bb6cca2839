using DeepSeek.Pipeline.Privacy;

namespace DeepSeek.Pipeline.Tests.Privacy;

public sealed class NoiseSamplerTests
{
    private const int Draws = 100_000;

    // The scales of a default release: sensitivity 1 + clip 4 = 5 at epsilon 0.5, and a single count at epsilon 0.5.
    [Theory]
    [InlineData(5, 0.5)]
    [InlineData(1, 0.5)]
    public void Laplace_100kDraws_MeanAbsoluteNoiseWithin5PercentOfSensitivityOverEpsilon(int sensitivity, double epsilon)
    {
        double b = sensitivity / epsilon, sumAbs = 0, sum = 0;
        for (int i = 0; i < Draws; i++)
        {
            double x = NoiseSampler.Laplace(b);
            sumAbs += Math.Abs(x);
            sum += x;
        }

        Assert.InRange(sumAbs / Draws, 0.95 * b, 1.05 * b);
        Assert.InRange(sum / Draws, -0.05 * b, 0.05 * b);
    }

    [Theory]
    [InlineData(5, 0.5)]
    [InlineData(2, 0.5)]
    public void DiscreteLaplace_100kDraws_StandardDeviationWithin5PercentOfSqrt2TimesScale(int sensitivity, double epsilon)
    {
        double t = sensitivity / epsilon, sumSq = 0;
        for (int i = 0; i < Draws; i++)
        {
            long k = NoiseSampler.DiscreteLaplace(t);
            sumSq += (double)k * k;
        }

        // The two-sided geometric's variance is 2a/(1-a)^2 with a = exp(-1/t): sqrt(2) t to within 1% at these scales.
        double expected = Math.Sqrt(2) * t;
        Assert.InRange(Math.Sqrt(sumSq / Draws), 0.95 * expected, 1.05 * expected);
    }

    [Fact]
    public void Gaussian_100kDraws_StandardDeviationWithin5Percent()
    {
        double sumSq = 0;
        for (int i = 0; i < Draws; i++)
        {
            double x = NoiseSampler.Gaussian(0.1);
            sumSq += x * x;
        }

        Assert.InRange(Math.Sqrt(sumSq / Draws), 0.095, 0.105);
    }

    [Fact]
    public void Uniform_NeverZeroOrOne()
    {
        for (int i = 0; i < 10_000; i++)
        {
            Assert.InRange(NoiseSampler.Uniform(), double.Epsilon, 1 - 1e-17);
        }
    }
}
