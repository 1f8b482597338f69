// fuzz_wav: parseWav() on arbitrary bytes. It must never crash or read out of bounds, and
// whatever it accepts must describe whole frames inside the input.
#include "device/wav_file.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    vphone::media::MemoryByteReader reader({data, size});
    auto info = vphone::media::parseWav(reader);
    if (!info) {
        if (info.error().what.empty()) std::abort(); // every refusal says why
        return 0;
    }
    const auto& i = *info;
    const bool sane = i.channels >= 1 && i.channels <= 2 && i.sampleRate >= 1000 && i.dataOffset <= size &&
                      i.dataBytes <= size - i.dataOffset &&
                      i.dataBytes % (2 * std::uint64_t(i.channels)) == 0;
    if (!sane) {
        std::fprintf(stderr, "invariant broken: rate %d channels %d offset %llu bytes %llu size %zu\n",
                     i.sampleRate, i.channels, static_cast<unsigned long long>(i.dataOffset),
                     static_cast<unsigned long long>(i.dataBytes), size);
        std::abort();
    }
    return 0;
}
