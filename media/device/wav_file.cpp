#include "device/wav_file.h"
#include "dsp/media_result.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>

namespace vphone::media {

static_assert(std::endian::native == std::endian::little, "WAV samples are written as stored in memory");

namespace {

constexpr std::uint64_t kMaxChunkWalk = 10000; // chunks before data: anything more is garbage

uint32_t le32(const uint8_t* p)
{
    return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

uint16_t le16(const uint8_t* p)
{
    return uint16_t(p[0] | p[1] << 8);
}

void put32(uint8_t* p, uint32_t v)
{
    for (int i = 0; i < 4; ++i)
        p[i] = uint8_t(v >> (8 * i));
}

void put16(uint8_t* p, uint16_t v)
{
    p[0] = uint8_t(v);
    p[1] = uint8_t(v >> 8);
}

std::string at(std::uint64_t offset, const std::string& what)
{
    return "offset " + std::to_string(offset) + ": " + what;
}

std::string fourcc(const uint8_t* p)
{
    std::string s;
    for (int i = 0; i < 4; ++i)
        s += (p[i] >= 32 && p[i] < 127) ? char(p[i]) : '?';
    return s;
}

std::string formatName(uint16_t tag)
{
    switch (tag) {
    case 3: return "3 (IEEE float)";
    case 6: return "6 (A-law)";
    case 7: return "7 (mu-law)";
    case 0x11: return "17 (IMA ADPCM)";
    case 0x55: return "85 (MP3)";
    default: return std::to_string(tag);
    }
}

// KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71.
constexpr uint8_t kPcmSubformat[16] = {0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00,
                                       0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

} // namespace

std::size_t MemoryByteReader::readAt(std::uint64_t offset, std::span<uint8_t> out)
{
    if (offset >= bytes_.size()) return 0;
    const std::size_t n = std::min<std::uint64_t>(out.size(), bytes_.size() - offset);
    std::memcpy(out.data(), bytes_.data() + offset, n);
    return n;
}

MediaResult<WavInfo> parseWav(ByteReader& bytes)
{
    const std::uint64_t size = bytes.size();
    uint8_t head[12];
    if (bytes.readAt(0, head) < 12) {
        return mediaError(at(0, "file of " + std::to_string(size) + " bytes is too short for a RIFF header"));
    }
    if (std::memcmp(head, "RIFF", 4) != 0) {
        if (std::memcmp(head, "RF64", 4) == 0) return mediaError(at(0, "RF64 (64-bit WAV) is not supported"));
        return mediaError(at(0, "not a RIFF file (starts with '" + fourcc(head) + "')"));
    }
    if (std::memcmp(head + 8, "WAVE", 4) != 0) {
        return mediaError(at(8, "RIFF form '" + fourcc(head + 8) + "' is not WAVE"));
    }
    WavInfo info;
    bool haveFmt = false;
    std::uint64_t offset = 12;
    for (std::uint64_t walked = 0; walked < kMaxChunkWalk; ++walked) {
        uint8_t chunk[8];
        if (bytes.readAt(offset, chunk) < 8) break;
        const uint32_t chunkSize = le32(chunk + 4);
        const std::uint64_t body = offset + 8;
        if (std::memcmp(chunk, "fmt ", 4) == 0) {
            if (chunkSize < 16) {
                return mediaError(
                    at(offset, "fmt chunk of " + std::to_string(chunkSize) + " bytes (at least 16)"));
            }
            uint8_t fmt[40] = {};
            const std::size_t want = std::min<std::size_t>(chunkSize, sizeof fmt);
            if (bytes.readAt(body, std::span(fmt, want)) < want)
                return mediaError(at(body, "fmt chunk cut short"));
            uint16_t tag = le16(fmt);
            if (tag == 0xFFFE) { // WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID
                if (chunkSize < 40) return mediaError(at(body, "extensible fmt chunk shorter than 40 bytes"));
                if (std::memcmp(fmt + 24, kPcmSubformat, 16) != 0) {
                    return mediaError(
                        at(body + 24, "extensible format with a non-PCM sub-format is not supported"));
                }
                tag = 1;
            }
            if (tag != 1) {
                return mediaError(
                    at(body, "format " + formatName(tag) + " is not supported; only 16-bit PCM (format 1)"));
            }
            info.channels = le16(fmt + 2);
            info.sampleRate = int(le32(fmt + 4));
            const uint16_t blockAlign = le16(fmt + 12);
            const uint16_t bits = le16(fmt + 14);
            if (info.channels < 1 || info.channels > 2) {
                return mediaError(
                    at(body + 2, std::to_string(info.channels) + " channels; only mono and stereo"));
            }
            if (info.sampleRate < 1000 || info.sampleRate > 384000) {
                return mediaError(at(body + 4, "sample rate " + std::to_string(info.sampleRate) +
                                                   " Hz is outside 1000..384000"));
            }
            if (bits != 16) {
                return mediaError(at(body + 14, std::to_string(bits) + "-bit samples; only 16-bit PCM"));
            }
            if (blockAlign != 2 * info.channels) {
                return mediaError(at(body + 12, "block align " + std::to_string(blockAlign) + " for " +
                                                    std::to_string(info.channels) +
                                                    " channel(s) of 16 bits"));
            }
            haveFmt = true;
        } else if (std::memcmp(chunk, "data", 4) == 0) {
            if (!haveFmt) return mediaError(at(offset, "data chunk before any fmt chunk"));
            const std::uint64_t remaining = size > body ? size - body : 0;
            std::uint64_t dataBytes = chunkSize;
            if (dataBytes == 0 || dataBytes > remaining) {
                info.sizeRepaired = dataBytes != remaining;
                dataBytes = remaining;
            }
            const std::uint64_t frame = 2 * std::uint64_t(info.channels);
            info.dataOffset = body;
            info.dataBytes = dataBytes - dataBytes % frame;
            return info;
        }
        offset = body + chunkSize + (chunkSize & 1); // RIFF pads odd chunks to an even size
    }
    if (!haveFmt) return mediaError(at(offset, "no fmt chunk"));
    return mediaError(at(offset, "no data chunk"));
}

namespace {

class FileByteReader final : public ByteReader {
public:
    explicit FileByteReader(std::FILE* f) : f_(f)
    {
        if (std::fseek(f_, 0, SEEK_END) == 0) {
            const long end = std::ftell(f_);
            size_ = end > 0 ? std::uint64_t(end) : 0;
        }
    }
    std::size_t readAt(std::uint64_t offset, std::span<uint8_t> out) override
    {
        if (offset >= size_ || std::fseek(f_, long(offset), SEEK_SET) != 0) return 0;
        return std::fread(out.data(), 1, out.size(), f_);
    }
    std::uint64_t size() const override { return size_; }

private:
    std::FILE* f_;
    std::uint64_t size_ = 0;
};

std::string systemError()
{
    return std::strerror(errno);
}

} // namespace

MediaResult<WavReader> WavReader::open(const std::string& path)
{
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file) return mediaError("WAV file " + path + ": cannot open: " + systemError());
    FileByteReader reader(file.get());
    auto info = parseWav(reader);
    if (!info) return mediaError("WAV file " + path + ": " + info.error().what);
    return WavReader(path, std::move(file), *info);
}

WavReader::WavReader(std::string path, std::unique_ptr<std::FILE, FileCloser> file, WavInfo info)
    : path_(std::move(path)), file_(std::move(file)), info_(info)
{}

std::size_t WavReader::readFrames(std::span<int16_t> out)
{
    const auto ch = std::uint64_t(info_.channels);
    const std::uint64_t left = info_.frames() - position_;
    const std::uint64_t want = std::min<std::uint64_t>(out.size() / ch, left);
    if (want == 0) return 0;
    if (std::fseek(file_.get(), long(info_.dataOffset + position_ * ch * 2), SEEK_SET) != 0) return 0;
    const std::size_t got = std::fread(out.data(), 2 * ch, want, file_.get());
    position_ += got;
    return got;
}

MediaResult<WavWriter> WavWriter::create(const std::string& path, int sampleRate, int channels)
{
    if (channels < 1 || channels > 2) return mediaError("WAV file " + path + ": only mono and stereo");
    if (sampleRate < 1000 || sampleRate > 384000) return mediaError("WAV file " + path + ": bad sample rate");
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "wb"));
    if (!file) return mediaError("WAV file " + path + ": cannot create: " + systemError());
    WavWriter writer(path, std::move(file), sampleRate, channels);
    uint8_t header[44] = {};
    std::memcpy(header, "RIFF", 4);
    put32(header + 4, 36);
    std::memcpy(header + 8, "WAVEfmt ", 8);
    put32(header + 16, 16);
    put16(header + 20, 1);
    put16(header + 22, uint16_t(channels));
    put32(header + 24, uint32_t(sampleRate));
    put32(header + 28, uint32_t(sampleRate * channels * 2));
    put16(header + 32, uint16_t(channels * 2));
    put16(header + 34, 16);
    std::memcpy(header + 36, "data", 4);
    put32(header + 40, 0);
    if (std::fwrite(header, 1, sizeof header, writer.file_.get()) != sizeof header) {
        return mediaError("WAV file " + path + ": cannot write: " + systemError());
    }
    return writer;
}

WavWriter::WavWriter(std::string path, std::unique_ptr<std::FILE, FileCloser> file, int sampleRate,
                     int channels)
    : path_(std::move(path)), file_(std::move(file)), sampleRate_(sampleRate), channels_(channels)
{}

WavWriter::WavWriter(WavWriter&&) noexcept = default;
WavWriter& WavWriter::operator=(WavWriter&&) noexcept = default;

WavWriter::~WavWriter()
{
    (void)close();
}

MediaResult<bool> WavWriter::write(std::span<const int16_t> samples)
{
    if (!file_) return mediaError("WAV file " + path_ + ": already closed");
    const auto ch = std::size_t(channels_);
    if (samples.size() % ch != 0) return mediaError("WAV file " + path_ + ": partial frame");
    const std::size_t frames = samples.size() / ch;
    if (std::fwrite(samples.data(), 2 * ch, frames, file_.get()) != frames) {
        return mediaError("WAV file " + path_ + ": write failed: " + systemError());
    }
    frames_ += frames;
    if (frames_ - framesAtLastSizes_ >= std::uint64_t(sampleRate_)) {
        if (!writeSizes())
            return mediaError("WAV file " + path_ + ": header update failed: " + systemError());
    }
    return true;
}

bool WavWriter::writeSizes()
{
    // RIFF sizes are 32-bit: a recording past 4 GiB keeps the largest value (readers then read
    // to the end of the file).
    const std::uint64_t data =
        std::min<std::uint64_t>(frames_ * 2 * std::uint64_t(channels_), 0xFFFFFFFFu - 36);
    uint8_t size[4];
    std::FILE* f = file_.get();
    const long end = std::ftell(f);
    put32(size, uint32_t(data + 36));
    bool ok = std::fseek(f, 4, SEEK_SET) == 0 && std::fwrite(size, 1, 4, f) == 4;
    put32(size, uint32_t(data));
    ok = ok && std::fseek(f, 40, SEEK_SET) == 0 && std::fwrite(size, 1, 4, f) == 4;
    ok = ok && std::fseek(f, end, SEEK_SET) == 0 && std::fflush(f) == 0;
    framesAtLastSizes_ = frames_;
    return ok;
}

MediaResult<bool> WavWriter::close()
{
    if (!file_) return true;
    const bool sized = writeSizes();
    const bool closed = std::fclose(file_.release()) == 0;
    if (!sized || !closed) return mediaError("WAV file " + path_ + ": could not finish: " + systemError());
    return true;
}

MediaResult<MonoRecording> readWavMono(const std::string& path)
{
    auto reader = WavReader::open(path);
    if (!reader) return reader.error();
    const auto channels = static_cast<std::size_t>(reader->info().channels);
    MonoRecording out;
    out.sampleRate = reader->info().sampleRate;
    out.samples.reserve(reader->info().frames());
    std::vector<int16_t> chunk(4096 * channels);
    while (const std::size_t frames = reader->readFrames(chunk)) {
        for (std::size_t i = 0; i < frames; ++i) {
            int sum = 0;
            for (std::size_t c = 0; c < channels; ++c)
                sum += chunk[i * channels + c];
            out.samples.push_back(static_cast<int16_t>(sum / static_cast<int>(channels)));
        }
    }
    return out;
}

} // namespace vphone::media
