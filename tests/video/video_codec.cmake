# vphone_video (media/video): H.264/VP8 encode+decode round trips of the test pattern, the
# barcode counter, swscale conversions, Y4M files and vphone-video-check.
add_executable(vphone_video_codec_tests
  ${CMAKE_CURRENT_LIST_DIR}/video_codec_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/test_pattern_test.cpp
  ${CMAKE_CURRENT_LIST_DIR}/y4m_test.cpp
)
target_link_libraries(vphone_video_codec_tests PRIVATE vphone_video GTest::gtest_main)
target_compile_definitions(vphone_video_codec_tests PRIVATE VPHONE_VIDEO_CHECK="$<TARGET_FILE:vphone-video-check>")
add_dependencies(vphone_video_codec_tests vphone-video-check)
gtest_discover_tests(vphone_video_codec_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
