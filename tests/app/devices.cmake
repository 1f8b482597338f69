# The settings page's live device test (ui/models/device_tester.h): mic level, test tone and
# camera preview with the engine's file/tone devices and the test pattern, offscreen; and the
# same against a private PulseAudio (pipe source, null sink) started by device_tester_pulse.sh.
add_executable(vphone_device_tester_tests ${CMAKE_CURRENT_SOURCE_DIR}/app/device_tester_test.cpp)
target_link_libraries(vphone_device_tester_tests PRIVATE vphone_models Qt6::Gui Qt6::Test GTest::gtest)
gtest_discover_tests(vphone_device_tester_tests DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 120)
add_test(NAME app_device_tester_pulse
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/app/device_tester_pulse.sh $<TARGET_FILE:vphone_device_tester_tests>)
set_tests_properties(app_device_tester_pulse PROPERTIES TIMEOUT 120 RUN_SERIAL TRUE RESOURCE_LOCK "pulseaudio")
