// ConferenceMedia: the media of a hosted conference — one media::ConferenceBridge fed by the
// members' MediaSessions and the host's own devices — following a ua::Conference's signals.
// Used by the desktop app (ui/models). The bridge set-up, the host's devices and the
// per-participant figures are media::ConferenceHost's (media/engine/conference_host.h), which
// vphone-cli --conference (ui/cli/phone_conference.cpp) uses too, so they exist once.
//
// Theory of operation. The bridge starts at the first memberJoined (audio, or audio and video
// when Options::video): the host joins first with its devices (Options' specs, or the ones of the
// MediaSessionProvider's config), then each member's session (MediaSessionProvider::session())
// joins, labelled with the member's name. memberLeft takes a session out (it gets its own
// devices back, or is ending); ended stops the bridge. setHostView() gives the host's picture
// of everyone (the composite grid) to a QVideoSink (the GUI's VideoOutput) or to any
// media::VideoSink (vphone-cli's --video-sink). participants() is read each second by the views.
#pragma once

#include <QJsonArray>
#include <QObject>
#include <QPointer>
#include <QString>
#include <QVideoSink>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vphone::media {
class ConferenceBridge;
class ConferenceHost;
class VideoSink;
} // namespace vphone::media

namespace vphone::ua {
class Call;
class Conference;
} // namespace vphone::ua

namespace vphone::ui {

class MediaSessionProvider;

class ConferenceMedia : public QObject {
    Q_OBJECT
public:
    struct Options {
        bool video = false; ///< a composite picture as well as the audio mix
        int width = 640, height = 360, fps = 30;
        bool speakerLayout = false; ///< active speaker large instead of the grid
        /// The host's devices as vphone-cli specs; empty: the provider config's devices.
        std::string audioSource, audioSink, videoSource;
        std::string hostLabel = "host";
    };
    ConferenceMedia(ua::Conference& conference, MediaSessionProvider& provider, Options options,
                    QObject* parent = nullptr);
    ~ConferenceMedia() override;

    /// The composite grid goes to `view` (null: nowhere). Kept across bridge restarts.
    void setHostView(QVideoSink* view);
    void setHostSink(std::shared_ptr<media::VideoSink> sink);

    /// One row per participant, host first: {"label","uri","host","codec","level_dbfs","speaking",
    /// "active_speaker","frames_in","frames_out","underruns","overruns","connected"} — the
    /// objects of vphone-cli's --stats-json "participants" (a member whose media could not join
    /// has only label, uri and connected). Those who left keep their last figures.
    QJsonArray participants() const;
    /// The member's call whose participant is the active speaker (nullptr: none or the host).
    ua::Call* activeSpeaker() const;
    bool hostSpeaking() const;
    bool running() const;

    /// The bridge and its figures (nullptr before the first member joined; kept, stopped, after
    /// the conference ended until the next one starts).
    media::ConferenceHost* host() const { return host_.get(); }

signals:
    /// The bridge could not start or a member could not join ("conference media: ...").
    void problem(const QString& what);
    void runningChanged();

private:
    void join(ua::Call* call);
    void leave(ua::Call* call);
    void stop();
    bool start();
    struct Member {
        QPointer<ua::Call> call;
        const ua::Call* key = nullptr; ///< the call's address, to find it after it is gone
        QString label, uri;
        int id = -1; ///< its ConferenceHost participant (-1: its media could not join)
        bool connected = true;
    };

    ua::Conference& conference_;
    MediaSessionProvider& provider_;
    Options options_;
    std::unique_ptr<media::ConferenceHost> host_;
    std::vector<Member> members_;
    std::shared_ptr<media::VideoSink> hostSink_;
};

} // namespace vphone::ui
