# Video through the media engine (media/engine VideoStream): two MediaSessions on loopback
# (RTP 11700-11799) with the test pattern, a lossy relay for NACK/PLI recovery, adding and
# removing video mid-call.
add_executable(vphone_video_engine_tests ${CMAKE_CURRENT_SOURCE_DIR}/video/video_engine_test.cpp)
target_link_libraries(vphone_video_engine_tests PRIVATE vphone_media_engine GTest::gtest_main)
gtest_discover_tests(vphone_video_engine_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE)

# vphone-cli <-> vphone-cli video calls (SIP 5550-5559, RTP 11900-11999), read back by vphone-video-check.
# Dev tree only: under ASan our encoder and decoder run through interop_baresip_video (both
# directions, H.264 and VP8) and vphone_video_engine_tests; CI time is bounded.
if(NOT VPHONE_SANITIZE)
  add_test(NAME interop_vphone_video
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/interop/vphone_video.sh $<TARGET_FILE:vphone-cli>
            $<TARGET_FILE:vphone-video-check>)
  set_tests_properties(interop_vphone_video PROPERTIES TIMEOUT 180 RUN_SERIAL TRUE)
endif()

# vphone-cli <-> baresip 1.0 video (avcodec H.264, vp8, avformat playing the pattern), both
# directions, SDES and DTLS-SRTP (SIP 5530-5539, RTP 11800-11899).
add_test(NAME interop_baresip_video
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/interop/baresip_video.sh $<TARGET_FILE:vphone-cli>
          $<TARGET_FILE:vphone-video-check>)
set_tests_properties(interop_baresip_video PROPERTIES TIMEOUT 240 RUN_SERIAL TRUE)

# The receiver's delay-based estimate (media/rtp/delay_estimator), on synthetic arrivals.
add_executable(vphone_delay_estimator_tests ${CMAKE_CURRENT_SOURCE_DIR}/video/delay_estimator_test.cpp)
target_link_libraries(vphone_delay_estimator_tests PRIVATE vphone_rtp GTest::gtest_main)
gtest_discover_tests(vphone_delay_estimator_tests DISCOVERY_TIMEOUT 60)

# vphone-cli <-> linphonec (liblinphone 5.1) VP8 video both ways, plain and SDES-SRTP mandatory
# (SIP 5590-5599, RTP 12400-12499; linphonec's snapshots need a private Xvfb, started by the script).
# Not in the ASan tree: it proves interop (the dev tree runs it), while the same receive path is
# under the sanitizers through interop_baresip_video; CI time is bounded.
if(NOT VPHONE_SANITIZE)
  add_test(NAME interop_linphone_video
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/interop/linphone_video.sh $<TARGET_FILE:vphone-cli>
            $<TARGET_FILE:vphone-video-check>)
  set_tests_properties(interop_linphone_video PROPERTIES TIMEOUT 240 RUN_SERIAL TRUE)
endif()
