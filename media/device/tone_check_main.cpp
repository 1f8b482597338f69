// vphone-tone-check FILE.wav HZ [--min FRACTION]
//
// Prints the fraction of complete 20 ms windows of a WAV recording (16-bit PCM; stereo is
// mixed to mono) in which the tone HZ holds at least half the energy (see analyseTone()):
//   0.973 (146 of 150 windows at 1000 Hz)
// Exit status: 0 when it ran (and, with --min, the fraction reached FRACTION); 1 when the
// fraction is below --min; 2 for bad usage or an unreadable/unsupported file (the reason on stderr).
#include "device/wav_file.h"
#include "dsp/goertzel.h"

#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace {

bool parseNumber(std::string_view text, double& out)
{
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return !text.empty() && ec == std::errc{} && end == text.data() + text.size();
}

int usage()
{
    std::fprintf(stderr, "usage: vphone-tone-check FILE.wav HZ [--min FRACTION]\n");
    return 2;
}

} // namespace

int main(int argc, char** argv)
{
    using namespace vphone::media;
    if (argc != 3 && argc != 5) return usage();
    double hz = 0;
    double min = -1;
    if (!parseNumber(argv[2], hz) || hz <= 0) {
        std::fprintf(stderr, "vphone-tone-check: '%s' is not a frequency in Hz\n", argv[2]);
        return 2;
    }
    if (argc == 5) {
        if (std::string_view(argv[3]) != "--min" || !parseNumber(argv[4], min) || min < 0 || min > 1) {
            return usage();
        }
    }
    auto recording = readWavMono(argv[1]);
    if (!recording) {
        std::fprintf(stderr, "vphone-tone-check: %s\n", recording.error().what.c_str());
        return 2;
    }
    const int rate = recording->sampleRate;
    if (hz >= rate / 2.0) {
        std::fprintf(stderr, "vphone-tone-check: %g Hz is not below half the file's rate (%d Hz)\n", hz,
                     rate);
        return 2;
    }
    const std::vector<int16_t>& mono = recording->samples;
    const ToneReport report = analyseTone(mono, rate, hz);
    std::printf("%.3f (%zu of %zu windows at %g Hz)\n", report.fraction(), report.dominated, report.windows,
                hz);
    return min >= 0 && report.fraction() < min ? 1 : 0;
}
