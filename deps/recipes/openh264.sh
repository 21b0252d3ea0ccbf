# Recipe: OpenH264 (Debian source package `openh264`), static wasm32
# libopenh264.a: the H.264 encoder and decoder, plain C/C++ (no x86 or NEON
# assembly: USE_ASM=No and an ARCH that names none), single-threaded by
# configuration (the encoder is set up with iMultipleThreadIdc = 1), no
# stack protector (Emscripten has no __stack_chk_guard).
#
# OpenH264's Makefile generates a version header relative to the current
# directory, so it builds inside the (temporary) source tree. Command-line
# variables override the Makefile's own: BUILDTYPE=Release would turn the
# assembly on, USE_ASM=No turns it off again.
cd "$SRC"
emmake make -j "$JOBS" OS=linux ARCH=wasm32 BUILDTYPE=Release USE_ASM=No HAVE_GTEST=No USE_STACK_PROTECTOR=No \
  CFLAGS_OPT="$OPT_CFLAGS" CC=emcc CXX=em++ AR=emar PREFIX="$DEST" LIBDIR_NAME=lib \
  install-static-lib
# Emscripten 3.1.6's libc, built without -pthread, lacks three calls that
# OpenH264's thread library names (WelsThreadLib.cpp): they run only when it
# creates worker threads, which iMultipleThreadIdc = 1 never asks for. They
# go into the archive as failing stubs (ENOSYS), so linking needs no
# ERROR_ON_UNDEFINED_SYMBOLS=0 and a call, should one happen, fails cleanly.
cat > "$BUILD/wasm-thread-stubs.c" <<'STUBS'
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <time.h>
int pthread_attr_setscope(pthread_attr_t* a, int s) { (void)a; (void)s; return ENOSYS; }
int pthread_attr_setschedpolicy(pthread_attr_t* a, int p) { (void)a; (void)p; return ENOSYS; }
int sem_timedwait(sem_t* s, const struct timespec* t) { (void)s; (void)t; errno = ENOSYS; return -1; }
STUBS
emcc $OPT_CFLAGS -c "$BUILD/wasm-thread-stubs.c" -o "$BUILD/wasm-thread-stubs.o"
emar rs "$DEST/lib/libopenh264.a" "$BUILD/wasm-thread-stubs.o"
emranlib "$DEST/lib/libopenh264.a"
