#include "codec/g722_codec.h"
#include "dsp/ffmpeg_runtime.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
}

#include <cstring>
#include <string>

namespace vphone::media {

namespace {
constexpr std::size_t kMaxFrameSamples = 2880;
}

struct G722Codec::Ff {
    AVCodecContext* enc = nullptr;
    AVCodecContext* dec = nullptr;
    AVFrame* inFrame = nullptr;
    AVFrame* outFrame = nullptr;
    AVPacket* packet = nullptr;
    int64_t pts = 0;
    ~Ff()
    {
        ffmpeg::api().avcodec_free_context(&enc);
        ffmpeg::api().avcodec_free_context(&dec);
        ffmpeg::api().av_frame_free(&inFrame);
        ffmpeg::api().av_frame_free(&outFrame);
        ffmpeg::api().av_packet_free(&packet);
    }
};

G722Codec::G722Codec(std::size_t frameSamples)
    : format_{"G722", 16000, 8000, 1, frameSamples, frameSamples / 2}, plc_(frameSamples, 1),
      ff_(std::make_unique<Ff>())
{}

G722Codec::~G722Codec() = default;

MediaResult<std::unique_ptr<G722Codec>> G722Codec::create(std::size_t frameSamples)
{
    if (frameSamples == 0 || frameSamples % 2 != 0 || frameSamples > kMaxFrameSamples) {
        return mediaError("G722: frame of " + std::to_string(frameSamples) +
                          " samples; it must be even and 2..2880 (180 ms at 16 kHz)");
    }
    if (auto lib = ffmpeg::load(); !lib) return mediaError("G722: " + lib.error().what);
    const AVCodec* encoder = ffmpeg::api().avcodec_find_encoder(AV_CODEC_ID_ADPCM_G722);
    const AVCodec* decoder = ffmpeg::api().avcodec_find_decoder(AV_CODEC_ID_ADPCM_G722);
    if (encoder == nullptr || decoder == nullptr) {
        return mediaError("G722: this FFmpeg has no adpcm_g722 encoder or decoder");
    }
    std::unique_ptr<G722Codec> codec(new G722Codec(frameSamples));
    Ff& ff = *codec->ff_;
    ff.enc = ffmpeg::api().avcodec_alloc_context3(encoder);
    ff.dec = ffmpeg::api().avcodec_alloc_context3(decoder);
    ff.inFrame = ffmpeg::api().av_frame_alloc();
    ff.outFrame = ffmpeg::api().av_frame_alloc();
    ff.packet = ffmpeg::api().av_packet_alloc();
    if (!ff.enc || !ff.dec || !ff.inFrame || !ff.outFrame || !ff.packet)
        return mediaError("G722: out of memory");

    const AVChannelLayout mono = AV_CHANNEL_LAYOUT_MONO;
    ff.enc->sample_rate = 16000;
    ff.enc->sample_fmt = AV_SAMPLE_FMT_S16;
    ff.enc->bit_rate = 64000;
    ff.enc->frame_size = int(frameSamples);
    ffmpeg::api().av_channel_layout_copy(&ff.enc->ch_layout, &mono);
    if (ffmpeg::api().avcodec_open2(ff.enc, encoder, nullptr) < 0)
        return mediaError("G722: FFmpeg could not open the encoder");
    ff.dec->sample_rate = 16000;
    ffmpeg::api().av_channel_layout_copy(&ff.dec->ch_layout, &mono);
    if (ffmpeg::api().avcodec_open2(ff.dec, decoder, nullptr) < 0)
        return mediaError("G722: FFmpeg could not open the decoder");

    ff.inFrame->format = AV_SAMPLE_FMT_S16;
    ff.inFrame->sample_rate = 16000;
    ff.inFrame->nb_samples = int(frameSamples);
    ffmpeg::api().av_channel_layout_copy(&ff.inFrame->ch_layout, &mono);
    if (ffmpeg::api().av_frame_get_buffer(ff.inFrame, 0) < 0) return mediaError("G722: out of memory");
    return codec;
}

MediaResult<std::size_t> G722Codec::encode(std::span<const int16_t> pcm, std::span<uint8_t> out)
{
    if (pcm.size() != format_.frameSamples) {
        return mediaError("G722 encode: frame of " + std::to_string(pcm.size()) + " samples, expected " +
                          std::to_string(format_.frameSamples));
    }
    if (out.size() < format_.maxPayloadBytes) return mediaError("G722 encode: output buffer too small");
    Ff& ff = *ff_;
    if (ffmpeg::api().av_frame_make_writable(ff.inFrame) < 0) return mediaError("G722 encode: out of memory");
    std::memcpy(ff.inFrame->data[0], pcm.data(), pcm.size_bytes());
    ff.inFrame->pts = ff.pts;
    ff.pts += int64_t(pcm.size());
    if (ffmpeg::api().avcodec_send_frame(ff.enc, ff.inFrame) < 0)
        return mediaError("G722 encode: FFmpeg refused the frame");
    if (ffmpeg::api().avcodec_receive_packet(ff.enc, ff.packet) < 0)
        return mediaError("G722 encode: FFmpeg gave no packet");
    const auto size = std::size_t(ff.packet->size);
    if (size > out.size()) {
        ffmpeg::api().av_packet_unref(ff.packet);
        return mediaError("G722 encode: packet larger than the output buffer");
    }
    std::memcpy(out.data(), ff.packet->data, size);
    ffmpeg::api().av_packet_unref(ff.packet);
    return size;
}

MediaResult<std::size_t> G722Codec::decode(std::span<const uint8_t> payload, std::span<int16_t> pcm)
{
    if (payload.empty()) return mediaError("G722 decode: empty payload");
    if (pcm.size() < payload.size() * 2) {
        return mediaError("G722 decode: " + std::to_string(payload.size() * 2) +
                          " samples do not fit a buffer of " + std::to_string(pcm.size()));
    }
    Ff& ff = *ff_;
    ff.packet->data = const_cast<uint8_t*>(payload.data()); // not ref-counted: FFmpeg copies it
    ff.packet->size = int(payload.size());
    const int sent = ffmpeg::api().avcodec_send_packet(ff.dec, ff.packet);
    ff.packet->data = nullptr;
    ff.packet->size = 0;
    if (sent < 0) return mediaError("G722 decode: FFmpeg refused the packet");
    std::size_t written = 0;
    while (ffmpeg::api().avcodec_receive_frame(ff.dec, ff.outFrame) == 0) {
        const auto n = std::size_t(ff.outFrame->nb_samples);
        if (written + n > pcm.size()) {
            ffmpeg::api().av_frame_unref(ff.outFrame);
            return mediaError("G722 decode: output larger than the buffer");
        }
        std::memcpy(pcm.data() + written, ff.outFrame->data[0], n * sizeof(int16_t));
        written += n;
        ffmpeg::api().av_frame_unref(ff.outFrame);
    }
    plc_.remember(pcm.first(written));
    return written;
}

MediaResult<std::size_t> G722Codec::conceal(std::span<int16_t> pcm)
{
    if (pcm.size() < format_.frameSamples) return mediaError("G722 conceal: buffer too small");
    return plc_.conceal(pcm);
}

} // namespace vphone::media
