/* m2e_jack: click generator + onset detector for bench/baresip_mouth_to_ear.sh.
 *
 * Two JACK clients in one process on the same JACK server, so both read one clock (the
 * server's frame counter):
 *   "m2e_mouth" (one output port) writes a 5 ms 1 kHz click (amplitude 16000/32768) every
 *   500 ms into the capture port of the calling baresip (e.g. alice:input_1);
 *   "m2e_ear" (one input port) listens to the playback port of the called baresip
 *   (e.g. bob:output_1) and notes the onset of each click: the first sample above
 *   3000/32768, re-armed after 100 ms below 300/32768 (the same detector as
 *   bench/mouth_to_ear.cpp).
 * Each event is stamped with its JACK frame: jack_last_frame_time() of the cycle + offset of
 * the sample in the period. Two separate clients keep the JACK graph free of cycles, so
 * m2e_mouth runs before alice and bob before m2e_ear in the same period: JACK itself adds no
 * buffering between these ports (see the script header for how the figures are derived).
 *
 * usage: m2e_jack SERVER MOUTH_REGEX EAR_REGEX SECONDS WAIT_SECONDS PTIME_MS
 *   waits up to WAIT_SECONDS for ports matching MOUTH_REGEX (an input port) and EAR_REGEX
 *   (an output port), connects them, clicks for SECONDS, listens 1.5 s more, then prints
 *   one line of key=value; times in ms (JACK frames / nominal sample rate), onset at the ear
 *   minus onset written at the mouth, no period added (see the script header).
 *   PTIME_MS is only echoed back.
 * exit 0 on success, 2 on a JACK problem, 3 if the ports never appeared, 4 if no click arrived.
 */
#include <errno.h>
#include <jack/jack.h>
#include <math.h>
#include <regex.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAXEV 8192

static jack_client_t *mouth, *ear;
static jack_port_t *mouth_out, *ear_in;
static uint32_t rate;

/* written by one RT thread each, read by main after both clients are deactivated */
static uint32_t spoken[MAXEV], heard[MAXEV];
static atomic_int nspoken, nheard, xruns;
static atomic_int running;           /* 0 before start, 1 clicking, 2 silent tail */
static atomic_uint start_frame;      /* first frame of the click train */
static uint32_t every, click_len;    /* in frames */

static int mouth_process(jack_nframes_t n, void *arg)
{
	(void)arg;
	float *out = jack_port_get_buffer(mouth_out, n);
	memset(out, 0, n * sizeof(float));
	if (atomic_load(&running) != 1)
		return 0;
	uint32_t f0 = jack_last_frame_time(mouth), s = atomic_load(&start_frame);
	for (jack_nframes_t i = 0; i < n; ++i) {
		int32_t rel = (int32_t)(f0 + i - s);
		if (rel < 0)
			continue;
		uint32_t k = (uint32_t)rel % every;
		if (k == 0) {
			int c = atomic_load(&nspoken);
			if (c < MAXEV) {
				spoken[c] = f0 + i;
				atomic_store(&nspoken, c + 1);
			}
		}
		if (k < click_len)
			out[i] = (float)(16000.0 / 32768.0 * sin(2 * M_PI * 1000.0 * k / rate));
	}
	return 0;
}

static int armed, quiet;

static int ear_process(jack_nframes_t n, void *arg)
{
	(void)arg;
	const float *in = jack_port_get_buffer(ear_in, n);
	if (atomic_load(&running) == 0)
		return 0;
	uint32_t f0 = jack_last_frame_time(ear);
	for (jack_nframes_t i = 0; i < n; ++i) {
		float level = fabsf(in[i]);
		if (armed && level > 3000.0f / 32768) {
			int c = atomic_load(&nheard);
			if (c < MAXEV) {
				heard[c] = f0 + i;
				atomic_store(&nheard, c + 1);
			}
			armed = 0;
			quiet = 0;
		} else if (level < 300.0f / 32768) {
			if (++quiet >= (int)(rate / 10))
				armed = 1;
		} else {
			quiet = 0;
		}
	}
	return 0;
}

static int on_xrun(void *arg)
{
	(void)arg;
	if (atomic_load(&running) == 1) /* only while clicking, not while clients come and go */
		atomic_fetch_add(&xruns, 1);
	return 0;
}

static void nap(int ms)
{
	struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&t, NULL);
}

static char *find_port(jack_client_t *c, const char *re, unsigned long flags)
{
	const char **p = jack_get_ports(c, re, JACK_DEFAULT_AUDIO_TYPE, flags);
	char *r = NULL;
	if (p && p[0])
		r = strdup(p[0]);
	if (p)
		jack_free(p);
	return r;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* median and p95 (nearest rank) of v[0..n), sorts v */
static void stats(double *v, int n, double *med, double *p95, double *lo, double *hi)
{
	qsort(v, (size_t)n, sizeof(double), cmp_dbl);
	int r = (int)ceil(0.95 * n) - 1;
	*med = v[n / 2];
	*p95 = v[r < 0 ? 0 : r];
	*lo = v[0];
	*hi = v[n - 1];
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: %s SERVER MOUTH_REGEX EAR_REGEX SECONDS WAIT_SECONDS PTIME_MS\n", argv[0]);
		return 2;
	}
	const char *server = argv[1];
	int seconds = atoi(argv[4]), wait_s = atoi(argv[5]), ptime = atoi(argv[6]);
	jack_status_t st;
	jack_options_t opt = JackNoStartServer | JackServerName;
	mouth = jack_client_open("m2e_mouth", opt, &st, server);
	ear = mouth ? jack_client_open("m2e_ear", opt, &st, server) : NULL;
	if (!mouth || !ear) {
		fprintf(stderr, "m2e_jack: cannot open JACK clients on server '%s' (status 0x%x)\n", server,
			(unsigned)st);
		return 2;
	}
	rate = jack_get_sample_rate(mouth);
	every = rate / 2;         /* 500 ms */
	click_len = rate / 200;   /* 5 ms */
	mouth_out = jack_port_register(mouth, "out", JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0);
	ear_in = jack_port_register(ear, "in", JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0);
	if (!mouth_out || !ear_in) {
		fprintf(stderr, "m2e_jack: cannot register ports\n");
		return 2;
	}
	jack_set_process_callback(mouth, mouth_process, NULL);
	jack_set_process_callback(ear, ear_process, NULL);
	jack_set_xrun_callback(mouth, on_xrun, NULL);
	if (jack_activate(mouth) || jack_activate(ear)) {
		fprintf(stderr, "m2e_jack: cannot activate clients\n");
		return 2;
	}

	char *mp = NULL, *ep = NULL;
	for (int t = 0; t < wait_s * 20 && (!mp || !ep); ++t) {
		if (!mp)
			mp = find_port(mouth, argv[2], JackPortIsInput);
		if (!ep)
			ep = find_port(ear, argv[3], JackPortIsOutput);
		if (!mp || !ep)
			nap(50);
	}
	if (!mp || !ep) {
		fprintf(stderr, "m2e_jack: no port matching %s within %d s\n", !mp ? argv[2] : argv[3], wait_s);
		return 3;
	}
	int e1 = jack_connect(mouth, jack_port_name(mouth_out), mp);
	int e2 = jack_connect(ear, ep, jack_port_name(ear_in));
	/* EEXIST: the calibration run (mouth wired straight to ear) makes the same link twice */
	if ((e1 && e1 != EEXIST) || (e2 && e2 != EEXIST)) {
		fprintf(stderr, "m2e_jack: cannot connect %s / %s\n", mp, ep);
		return 2;
	}
	fprintf(stderr, "m2e_jack: %s -> %s ... %s -> %s\n", jack_port_name(mouth_out), mp, ep,
		jack_port_name(ear_in));

	/* first click 200 ms from now: the detector needs 100 ms of quiet to arm */
	atomic_store(&start_frame, jack_frame_time(mouth) + rate / 5);
	atomic_store(&running, 1);
	nap(seconds * 1000 + 200);
	atomic_store(&running, 2);
	nap(1500);
	jack_deactivate(mouth);
	jack_deactivate(ear);

	int ns = atomic_load(&nspoken), nh = atomic_load(&nheard);
	uint32_t base = atomic_load(&start_frame), period = jack_get_buffer_size(mouth);
	/* pair each click heard with the latest one spoken at or before it (as mouth_to_ear.cpp) */
	double *d = calloc((size_t)nh + 1, sizeof(double));
	int nd = 0;
	for (int h = 0; h < nh; ++h) {
		int64_t hr = (int32_t)(heard[h] - base);
		int best = -1;
		for (int s = 0; s < ns; ++s)
			if ((int32_t)(spoken[s] - base) <= hr)
				best = s;
		if (best >= 0)
			d[nd++] = (double)(hr - (int32_t)(spoken[best] - base));
	}
	const double ms = 1000.0 / rate;
	printf("rate=%u period=%u period_ms=%.3f ptime=%d spoken=%d clicks=%d xruns=%d", rate, period,
	       period * ms, ptime, ns, nd, atomic_load(&xruns));
	if (nd == 0) {
		printf("\n");
		return 4;
	}
	double med, p95, lo, hi;
	stats(d, nd, &med, &p95, &lo, &hi);
	printf(" med=%.2f p95=%.2f min=%.2f max=%.2f\n", med * ms, p95 * ms, lo * ms, hi * ms);
	jack_client_close(ear);
	jack_client_close(mouth);
	return 0;
}
