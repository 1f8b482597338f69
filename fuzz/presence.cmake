# fuzz_pidf, fuzz_message_summary, fuzz_dialog_info: the presence body readers of vphone_presence
# (core/ua/presence_bodies.h, QtCore only) on arbitrary bytes; one source, VPHONE_FUZZ_BODY picks
# the reader. Seeds: scripts/fuzz.sh.
target_compile_options(vphone_presence PRIVATE -fsanitize=fuzzer-no-link ${_vphone_fuzz_sanitizers})
target_link_options(vphone_presence INTERFACE -fsanitize=address,undefined)
set(_vphone_presence_fuzz fuzz_pidf fuzz_message_summary fuzz_dialog_info)
foreach(_name IN LISTS _vphone_presence_fuzz)
  list(FIND _vphone_presence_fuzz ${_name} _index)
  math(EXPR _body "${_index} + 1")
  add_executable(${_name} ${CMAKE_CURRENT_LIST_DIR}/presence_bodies_fuzz.cpp)
  target_compile_definitions(${_name} PRIVATE VPHONE_FUZZ_BODY=${_body})
  target_link_libraries(${_name} PRIVATE vphone_presence)
  target_compile_options(${_name} PRIVATE -fsanitize=fuzzer ${_vphone_fuzz_sanitizers})
  target_link_options(${_name} PRIVATE -fsanitize=fuzzer ${_vphone_fuzz_sanitizers})
  add_dependencies(fuzz ${_name})
endforeach()
