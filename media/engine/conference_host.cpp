// ConferenceHost: see conference_host.h for the theory of operation.
#include "conference_host.h"

#include "media_session.h"

#include <algorithm>

namespace vphone::media {

EngineResult<std::unique_ptr<ConferenceHost>> ConferenceHost::start(Options options)
{
    auto bridge = ConferenceBridge::create(options.bridge);
    if (!bridge) return bridge.error();
    std::unique_ptr<ConferenceHost> host(new ConferenceHost(std::move(options), std::move(*bridge)));
    const auto& o = host->options_;
    const auto fail = [&host](EngineError error) {
        host->bridge_->stop();
        host->stopped_ = true;
        return error;
    };
    // The app's camera comes from its factory; the bridge then gets no spec of its own for it.
    std::unique_ptr<VideoSource> camera;
    const bool factoryCamera = o.videoSourceFactory && !o.videoSource.empty() && o.videoSource != "off";
    if (factoryCamera) {
        if (!o.bridge.video)
            return fail(
                {500, "conference: host video source " + o.videoSource + " in an audio-only conference"});
        auto spec = parseVideoSourceSpec(o.videoSource);
        if (!spec) return fail({500, "conference: host video source: " + spec.error().what});
        auto made = o.videoSourceFactory(*spec);
        if (!made) return fail({500, "conference: host video source: " + made.error().what});
        camera = std::move(*made);
    }
    auto local = host->bridge_->joinLocal(o.audioSource, o.audioSink, factoryCamera ? "off" : o.videoSource,
                                          o.hostLabel);
    if (!local) return fail(local.error());
    if (camera) host->bridge_->video()->setHostSource(*local, std::move(camera));
    host->hostId_ = *local;
    Member m;
    m.row.id = *local;
    m.row.label = o.hostLabel;
    m.row.codec = "pcm";
    m.row.host = true;
    host->members_.push_back(std::move(m));
    return host;
}

ConferenceHost::ConferenceHost(Options options, std::unique_ptr<ConferenceBridge> bridge)
    : options_(std::move(options)), bridge_(std::move(bridge))
{}

ConferenceHost::~ConferenceHost()
{
    stop();
}

std::string ConferenceHost::audioCodecOf(const MediaSession& session)
{
    std::string codec;
    for (const auto& s : session.stats()) {
        if (s.type == "audio") codec = s.codec;
    }
    return codec;
}

EngineResult<ConferenceHost::ParticipantId> ConferenceHost::join(MediaSession& session, std::string label)
{
    auto id = bridge_->join(session, label);
    if (!id) return id.error();
    // A session that went away without leave() may have left its row in: it is out of the mix
    // now (the bridge dropped it), so it keeps its last figures as not connected.
    for (auto& m : members_) {
        if (m.session && m.inBridge && m.alive.expired()) {
            m.inBridge = false;
            m.row.connected = false;
        }
    }
    Member m;
    m.row.id = *id;
    m.row.label = std::move(label);
    m.row.codec = audioCodecOf(session);
    m.session = &session;
    m.alive = session.lifetime();
    members_.push_back(std::move(m));
    return *id;
}

void ConferenceHost::leave(ParticipantId id)
{
    auto it = std::find_if(members_.begin(), members_.end(),
                           [id](const Member& m) { return m.row.id == id && m.session; });
    if (it == members_.end() || !it->inBridge) return;
    refresh(); // the figures as it leaves
    it->inBridge = false;
    it->row.connected = false;
    bridge_->leave(id);
}

void ConferenceHost::setHostVideoSink(std::shared_ptr<VideoSink> sink)
{
    bridge_->setHostVideoSink(std::move(sink));
}

void ConferenceHost::refresh()
{
    if (stopped_) return;
    const auto now = bridge_->participants();
    const auto active = bridge_->activeSpeaker();
    for (auto& m : members_) {
        if (m.session && m.row.connected && m.row.codec.empty() && !m.alive.expired())
            m.row.codec = audioCodecOf(*m.session);
        if (!m.inBridge) continue;
        for (const auto& p : now) {
            if (p.id != m.row.id) continue;
            m.row.measured = true;
            m.row.label = p.label;
            m.row.levelDbfs = p.levelDbfs;
            m.row.speaking = p.speaking;
            m.row.activeSpeaker = active && *active == p.id;
            m.row.framesIn = p.framesIn;
            m.row.framesOut = p.framesOut;
            m.row.underruns = p.underruns;
            m.row.overruns = p.overruns;
        }
    }
}

std::vector<ConferenceHost::Row> ConferenceHost::rows()
{
    refresh();
    std::vector<Row> out;
    out.reserve(members_.size());
    for (const auto& m : members_)
        out.push_back(m.row);
    return out;
}

std::optional<ConferenceHost::Row> ConferenceHost::row(ParticipantId id)
{
    refresh();
    for (const auto& m : members_) {
        if (m.row.id == id) return m.row;
    }
    return std::nullopt;
}

std::optional<ConferenceHost::ParticipantId> ConferenceHost::activeSpeaker() const
{
    if (stopped_) return std::nullopt;
    return bridge_->activeSpeaker();
}

void ConferenceHost::stop()
{
    if (stopped_) return;
    refresh();
    stopped_ = true;
    for (auto& m : members_)
        m.inBridge = false;
    bridge_->stop(); // every session still in gets its own devices back
}

} // namespace vphone::media
