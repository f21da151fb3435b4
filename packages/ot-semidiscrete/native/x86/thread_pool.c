// The addon's thread pool: a process-wide set of pthreads, started on demand (up to
// MAX_THREADS − 1) and parked on a condition variable between calls; the calling thread
// works too. Calls from several JS threads (worker_threads) are serialised.
#include "power_assign.h"

#include <pthread.h>
#include <stdlib.h>

// glibc ≥ 2.34 versions pthread_create GLIBC_2.34 (it moved into libc); bind the original
// version instead, which every glibc still exports (Node itself loads libpthread on older
// ones), so the addon loads wherever Node 20 runs. Nothing else needs more than 2.14.
#if defined(__x86_64__) && defined(__GLIBC__)
__asm__(".symver pthread_create,pthread_create@GLIBC_2.2.5");
#endif

static struct {
  pthread_mutex_t mu;
  pthread_cond_t wake, idle;
  int started;      /* workers running */
  uint64_t gen;     /* incremented per job */
  job_t *job;
  int want;         /* workers (ids 0 … want−1) taking part in the current job */
  int finished;     /* of those, how many are done */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, NULL, 0, 0};

/* Serialises jobs (calls from several JS threads). */
static pthread_mutex_t submit_mu = PTHREAD_MUTEX_INITIALIZER;

typedef struct {
  int id;
  uint64_t gen;
} worker_arg_t;

static void *worker_main(void *arg) {
  worker_arg_t a = *(worker_arg_t *)arg;
  free(arg);
  uint64_t seen = a.gen;
  pthread_mutex_lock(&pool.mu);
  for (;;) {
    while (pool.gen == seen) pthread_cond_wait(&pool.wake, &pool.mu);
    seen = pool.gen;
    if (a.id >= pool.want) continue;
    job_t *job = pool.job;
    pthread_mutex_unlock(&pool.mu);
    work(job);
    pthread_mutex_lock(&pool.mu);
    if (++pool.finished == pool.want) pthread_cond_signal(&pool.idle);
  }
  return NULL;
}

// Starts workers until `count` run (or creation fails); returns how many run.
static int pool_grow(int count) {
  pthread_mutex_lock(&pool.mu);
  while (pool.started < count) {
    worker_arg_t *arg = malloc(sizeof *arg);
    if (arg == NULL) break;
    arg->id = pool.started;
    arg->gen = pool.gen;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t th;
    int rc = pthread_create(&th, &attr, worker_main, arg);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
      free(arg);
      break;
    }
    pool.started++;
  }
  int started = pool.started;
  pthread_mutex_unlock(&pool.mu);
  return started;
}

void run_job(job_t *job, int helpers) {
  if (helpers > job->nchunks - 1) helpers = (int)(job->nchunks - 1);
  if (helpers <= 0) {
    work(job);
    return;
  }
  pthread_mutex_lock(&submit_mu);
  int started = pool_grow(helpers);
  if (helpers > started) helpers = started;
  if (helpers > 0) {
    pthread_mutex_lock(&pool.mu);
    pool.job = job;
    pool.want = helpers;
    pool.finished = 0;
    pool.gen++;
    pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.mu);
  }
  work(job);
  if (helpers > 0) {
    pthread_mutex_lock(&pool.mu);
    while (pool.finished < pool.want) pthread_cond_wait(&pool.idle, &pool.mu);
    pool.job = NULL;
    pool.want = 0;
    pthread_mutex_unlock(&pool.mu);
  }
  pthread_mutex_unlock(&submit_mu);
}
