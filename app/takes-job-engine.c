/* takes-job-engine.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-job-engine"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "takes-job-engine.h"
#include "takes-media-probe.h"
#include "takes-thumbnailer.h"

#define DEFAULT_FIRST_POLL_MS     1000
#define DEFAULT_MAX_POLL_MS       15000
#define POLL_GROWTH               1.5
/* A provider's hint is honoured, within reason. */
#define MAX_HINTED_DELAY_MS       (5 * 60 * 1000)
/* Polls failing this long (network down, provider in trouble) stop; the
 * take becomes "unknown" and "Check again" picks it up. */
#define POLL_GIVE_UP_SECONDS      (15 * 60)
#define MAX_DOWNLOAD_ATTEMPTS     4
#define SAVE_INTERVAL_MS          500
#define REMOTE_ID_SAVE_MS         50
#define THUMBNAIL_WIDTH           480
#define DEFAULT_RESOLUTION        "720p"
/* Polls due within this much of each other share a wake-up, at most
 * AGENDA_BATCH of them at a time. */
#define AGENDA_SLACK_MS           200
#define AGENDA_BATCH              16

typedef enum
{
  PHASE_WAITING,      /* locally queued behind the concurrency limit */
  PHASE_SUBMITTING,   /* the create is on its way */
  PHASE_POLLING,
  PHASE_DOWNLOADING,
  PHASE_VALIDATING,
} JobPhase;

typedef struct _Job Job;

struct _Job
{
  TakesJobEngine         *engine;       /* borrowed; NULL once detached */
  TakesTake              *take;
  TakesShot              *shot;
  TakesBackend           *backend;
  TakesGenerationRequest *request;
  GCancellable           *cancellable;
  GSequenceIter          *due_iter;     /* in the engine's agenda while waiting */
  gint64                  due;          /* monotonic µs */
  char                   *result_url;
  JobPhase                phase;
  guint                   interval_ms;
  gint64                  failing_since;  /* monotonic µs; 0 while polls succeed */
  guint                   download_attempts;
  double                  last_progress;
  gboolean                holds_slot;
  gboolean                cancel_requested;
  gboolean                checking;       /* "Check again" on an unknown take */
  gboolean                clip_was_invalid;
};

typedef struct
{
  guint   active;
  GQueue  waiting;  /* Job* (a reference each) */
} BackendSlots;

struct _TakesJobEngine
{
  GObject               parent_instance;

  /* owned */
  TakesProject         *project;
  TakesBackendRegistry *registry;
  GMainContext         *context;
  GHashTable           *jobs;        /* TakesTake* → Job* */
  GHashTable           *slots;       /* backend id → BackendSlots* */
  GCancellable         *cancellable; /* provider cancels; fired on shutdown */
  GSource              *save_source;
  gint64                save_due;    /* monotonic µs */
  GSource              *timer;       /* the agenda's next wake-up */
  GSequence            *agenda;      /* Job* waiting for a poll or retry, by due time */
  gint64                timer_due;
  GSource              *pump_source;
  char                 *default_resolution;

  gint64                last_save;   /* monotonic µs */
  guint                 first_poll_ms;
  guint                 max_poll_ms;
  guint                 n_active;
};

G_DEFINE_FINAL_TYPE (TakesJobEngine, takes_job_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_REGISTRY,
  PROP_N_ACTIVE,
  N_PROPS
};

enum {
  TAKE_FINISHED,
  TAKE_FAILED,
  IDLE,
  SAVE_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void job_poll            (Job *job);
static void job_download        (Job *job);
static void job_handle_status   (Job                *job,
                                 TakesBackendStatus *status);
static void engine_schedule_pump (TakesJobEngine *self);

/* ---- Jobs ---------------------------------------------------------------- */

static void
job_clear (gpointer data)
{
  Job *job = data;

  g_assert (job->due_iter == NULL);

  g_clear_object (&job->take);
  g_clear_object (&job->shot);
  g_clear_object (&job->backend);
  g_clear_object (&job->request);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->result_url, g_free);
}

static Job *
job_ref (Job *job)
{
  return g_rc_box_acquire (job);
}

static void
job_unref (gpointer job)
{
  g_rc_box_release_full (job, job_clear);
}

static void
job_stop_timer (Job *job)
{
  GSequenceIter *iter = g_steal_pointer (&job->due_iter);

  /* The engine's timer may now fire early; it then just re-arms. */
  if (iter != NULL)
    g_sequence_remove (iter);
}

static Job *
job_new (TakesJobEngine         *self,
         TakesShot              *shot,
         TakesTake              *take,
         TakesBackend           *backend,
         TakesGenerationRequest *request)
{
  Job *job = g_rc_box_new0 (Job);

  job->engine = self;
  job->shot = g_object_ref (shot);
  job->take = g_object_ref (take);
  job->backend = g_object_ref (backend);
  job->request = g_object_ref (request);
  job->cancellable = g_cancellable_new ();
  job->interval_ms = self->first_poll_ms;
  job->last_progress = -1;

  g_hash_table_insert (self->jobs, take, job);
  self->n_active = g_hash_table_size (self->jobs);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);

  return job;
}

/* A job whose take was deleted, or whose shot left the project, is not
 * worth finishing: nothing would show it. */
static gboolean
job_take_is_gone (Job *job)
{
  guint position;

  return takes_shot_find_take (job->shot, takes_take_get_id (job->take)) != job->take ||
         !takes_project_find_shot_position (job->engine->project, job->shot, &position);
}

static void engine_drop_job (TakesJobEngine *self,
                             Job            *job,
                             gboolean        emit_idle);
static void engine_cancel_remote (TakesJobEngine         *self,
                                  TakesBackend           *backend,
                                  TakesGenerationRequest *request,
                                  const char             *remote_id);

static void
job_wake (Job *job)
{
  if (job->engine == NULL)
    return;

  if (job_take_is_gone (job))
    {
      /* Deleted while in flight: the provider need not go on either. */
      if (job->phase == PHASE_POLLING)
        engine_cancel_remote (job->engine, job->backend, job->request,
                              takes_take_get_remote_id (job->take));
      engine_drop_job (job->engine, job, TRUE);
    }
  else if (job->phase == PHASE_DOWNLOADING)
    job_download (job);
  else
    job_poll (job);
}

static void engine_arm_timer (TakesJobEngine *self);

static gboolean
on_agenda_timer (gpointer user_data)
{
  TakesJobEngine *self = user_data;
  g_autoptr(GPtrArray) due = g_ptr_array_new_with_free_func (job_unref);
  gint64 horizon = g_get_monotonic_time () + AGENDA_SLACK_MS * 1000;

  g_clear_pointer (&self->timer, g_source_unref);

  /* Everything due now or nearly: one wake-up serves many polls. */
  while (!g_sequence_is_empty (self->agenda))
    {
      GSequenceIter *first = g_sequence_get_begin_iter (self->agenda);
      Job *job = g_sequence_get (first);

      /* A burst (takes submitted together poll together) is spread over
       * several dispatches so the window never waits on all of them. */
      if (job->due > horizon || due->len >= AGENDA_BATCH)
        break;

      g_ptr_array_add (due, job_ref (job));
      job_stop_timer (job);
    }

  g_object_ref (self);
  for (guint i = 0; i < due->len; i++)
    job_wake (g_ptr_array_index (due, i));
  engine_arm_timer (self);
  g_object_unref (self);

  return G_SOURCE_REMOVE;
}

/* One timer for all jobs: a main loop with hundreds of sources pays for
 * each of them on every iteration, whatever else wakes it. */
static void
engine_arm_timer (TakesJobEngine *self)
{
  Job *first;
  gint64 delay_ms;

  if (g_sequence_is_empty (self->agenda))
    {
      if (self->timer != NULL)
        {
          g_source_destroy (self->timer);
          g_clear_pointer (&self->timer, g_source_unref);
        }
      return;
    }

  first = g_sequence_get (g_sequence_get_begin_iter (self->agenda));
  if (self->timer != NULL && self->timer_due <= first->due)
    return;

  if (self->timer != NULL)
    {
      g_source_destroy (self->timer);
      g_clear_pointer (&self->timer, g_source_unref);
    }

  delay_ms = MAX (0, (first->due - g_get_monotonic_time () + 999) / 1000);
  self->timer_due = first->due;
  self->timer = g_timeout_source_new ((guint)MIN (delay_ms, G_MAXUINT));
  g_source_set_callback (self->timer, on_agenda_timer, self, NULL);
  g_source_attach (self->timer, self->context);
}

static int
compare_due (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const Job *job_a = a;
  const Job *job_b = b;

  return (job_a->due > job_b->due) - (job_a->due < job_b->due);
}

static void
job_schedule (Job   *job,
              guint  delay_ms)
{
  TakesJobEngine *self = job->engine;

  job_stop_timer (job);

  job->due = g_get_monotonic_time () + (gint64)delay_ms * 1000;
  job->due_iter = g_sequence_insert_sorted (self->agenda, job_ref (job), compare_due, NULL);
  engine_arm_timer (self);
}

/* ---- Saving ------------------------------------------------------------------ */

static gboolean
engine_save_now (TakesJobEngine  *self,
                 GError         **error)
{
  GFile *file = takes_project_get_file (self->project);

  if (self->save_source != NULL)
    {
      g_source_destroy (self->save_source);
      g_clear_pointer (&self->save_source, g_source_unref);
    }

  self->last_save = g_get_monotonic_time ();

  if (file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Save the project first: takes are kept in the project’s media folder."));
      return FALSE;
    }

  return takes_project_save (self->project, file, error);
}

static gboolean
on_save_timeout (gpointer user_data)
{
  TakesJobEngine *self = user_data;
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&self->save_source, g_source_unref);

  if (!engine_save_now (self, &error))
    g_warning ("The project could not be saved after a take changed: %s", error->message);

  return G_SOURCE_REMOVE;
}

/* A save within @interval_ms of the last one at the latest; changes made
 * in one go share a save. */
static void
engine_schedule_save_within (TakesJobEngine *self,
                             gint64          interval_ms)
{
  gint64 since, delay_ms, due;

  since = (g_get_monotonic_time () - self->last_save) / 1000;
  delay_ms = since >= interval_ms ? 0 : interval_ms - since;
  due = g_get_monotonic_time () + delay_ms * 1000;

  if (self->save_source != NULL)
    {
      if (self->save_due <= due)
        return;
      g_source_destroy (self->save_source);
      g_clear_pointer (&self->save_source, g_source_unref);
    }

  self->save_due = due;
  self->save_source = g_timeout_source_new ((guint)delay_ms);
  g_source_set_priority (self->save_source, G_PRIORITY_DEFAULT_IDLE);
  g_source_set_callback (self->save_source, on_save_timeout, self, NULL);
  g_source_attach (self->save_source, self->context);
}

/* At most one save every SAVE_INTERVAL_MS for ordinary state changes. */
static void
engine_schedule_save (TakesJobEngine *self)
{
  engine_schedule_save_within (self, SAVE_INTERVAL_MS);
}

/* ---- Slots and the local queue --------------------------------------------------- */

static void
backend_slots_free (gpointer data)
{
  BackendSlots *slots = data;

  g_queue_clear_full (&slots->waiting, job_unref);
  g_free (slots);
}

static BackendSlots *
engine_get_slots (TakesJobEngine *self,
                  TakesBackend   *backend)
{
  const char *id = takes_backend_get_id (backend);
  BackendSlots *slots = g_hash_table_lookup (self->slots, id);

  if (slots == NULL)
    {
      slots = g_new0 (BackendSlots, 1);
      g_queue_init (&slots->waiting);
      g_hash_table_insert (self->slots, g_strdup (id), slots);
    }

  return slots;
}

static void
job_take_slot (Job *job)
{
  if (job->holds_slot)
    return;

  job->holds_slot = TRUE;
  engine_get_slots (job->engine, job->backend)->active++;
}

static void
job_release_slot (Job *job)
{
  BackendSlots *slots;

  if (!job->holds_slot || job->engine == NULL)
    return;

  job->holds_slot = FALSE;
  slots = engine_get_slots (job->engine, job->backend);
  if (slots->active > 0)
    slots->active--;

  engine_schedule_pump (job->engine);
}

/* Forgets @job: no more callbacks will touch its take. */
static void
engine_drop_job (TakesJobEngine *self,
                 Job            *job,
                 gboolean        emit_idle)
{
  BackendSlots *slots;

  if (job->engine == NULL)
    return;

  job_release_slot (job);
  slots = engine_get_slots (self, job->backend);
  if (g_queue_remove (&slots->waiting, job))
    job_unref (job);

  job_stop_timer (job);
  job->engine = NULL;
  g_cancellable_cancel (job->cancellable);

  g_hash_table_remove (self->jobs, job->take);
  self->n_active = g_hash_table_size (self->jobs);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);

  if (emit_idle && self->n_active == 0)
    g_signal_emit (self, signals[IDLE], 0);
}

static void
engine_set_state (TakesJobEngine *self,
                  TakesTake      *take,
                  TakesTakeState  state)
{
  if (takes_take_get_state (take) == state)
    return;

  takes_take_set_state (take, state);
  engine_schedule_save (self);
}

/* Ends the job with a final state (or "unknown"): timings, save, signal.
 * @cause, when known, is the error behind a failure, for "take-failed". */
static void
job_finish_because (Job            *job,
                    TakesTakeState  state,
                    const char     *message,
                    const GError   *cause)
{
  TakesJobEngine *self = job->engine;
  g_autoptr(TakesTake) take = g_object_ref (job->take);
  g_autoptr(TakesShot) shot = g_object_ref (job->shot);

  if (self == NULL)
    return;

  g_object_ref (self);

  if (state != TAKES_TAKE_UNKNOWN)
    takes_take_set_finished (take, g_get_real_time () / G_USEC_PER_SEC);
  if (state == TAKES_TAKE_READY)
    takes_take_set_progress (take, 1.0);
  takes_take_set_error (take, message);
  engine_set_state (self, take, state);
  engine_schedule_save (self);

  engine_drop_job (self, job, FALSE);

  if (state == TAKES_TAKE_FAILED && cause != NULL)
    g_signal_emit (self, signals[TAKE_FAILED], 0, shot, take, cause);
  if (state == TAKES_TAKE_READY || state == TAKES_TAKE_FAILED || state == TAKES_TAKE_CANCELED)
    g_signal_emit (self, signals[TAKE_FINISHED], 0, shot, take);

  if (self->n_active == 0)
    g_signal_emit (self, signals[IDLE], 0);

  g_object_unref (self);
}

static void
job_finish (Job            *job,
            TakesTakeState  state,
            const char     *message)
{
  job_finish_because (job, state, message, NULL);
}

static void
job_fail (Job          *job,
          const GError *error)
{
  job_finish_because (job, TAKES_TAKE_FAILED, error != NULL ? error->message : NULL, error);
}

/* ---- Submitting ---------------------------------------------------------------- */

static void on_submitted (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
engine_pump (TakesJobEngine *self)
{
  g_autoptr(GPtrArray) starting = g_ptr_array_new_with_free_func (job_unref);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BackendSlots *slots = value;

      while (!g_queue_is_empty (&slots->waiting))
        {
          Job *job = g_queue_peek_head (&slots->waiting);
          guint limit = takes_backend_get_concurrency_limit (job->backend);

          if (limit > 0 && slots->active >= limit)
            break;

          g_queue_pop_head (&slots->waiting);
          job->phase = PHASE_SUBMITTING;
          job_take_slot (job);
          takes_take_set_error (job->take, NULL);
          takes_take_set_state (job->take, TAKES_TAKE_SUBMITTING);
          g_ptr_array_add (starting, job);  /* the queue's reference */
        }
    }

  if (starting->len == 0)
    return;

  /* The paid request goes out only once the project on disk says it
   * might have: after a crash the take is then "unknown", never lost and
   * never sent twice. One save covers every create of this round. */
  if (!engine_save_now (self, &error))
    {
      g_autoptr(GError) reason = g_error_new (error->domain, error->code,
                                              _("Nothing was sent because the project could not be saved: %s"),
                                              error->message);

      g_object_ref (self);
      for (guint i = 0; i < starting->len; i++)
        job_fail (g_ptr_array_index (starting, i), reason);
      g_signal_emit (self, signals[SAVE_FAILED], 0, error);
      g_object_unref (self);
      return;
    }

  for (guint i = 0; i < starting->len; i++)
    {
      Job *job = g_ptr_array_index (starting, i);

      takes_backend_submit_async (job->backend, job->request, job->cancellable,
                                  on_submitted, job_ref (job));
    }
}

static gboolean
on_pump (gpointer user_data)
{
  TakesJobEngine *self = user_data;

  g_clear_pointer (&self->pump_source, g_source_unref);
  engine_pump (self);

  return G_SOURCE_REMOVE;
}

static void
engine_schedule_pump (TakesJobEngine *self)
{
  if (self->pump_source != NULL)
    return;

  self->pump_source = g_idle_source_new ();
  g_source_set_priority (self->pump_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (self->pump_source, on_pump, self, NULL);
  g_source_attach (self->pump_source, self->context);
}

static void
job_enqueue (Job *job)
{
  BackendSlots *slots = engine_get_slots (job->engine, job->backend);

  job->phase = PHASE_WAITING;
  takes_take_set_remote_id (job->take, NULL);
  takes_take_set_state (job->take, TAKES_TAKE_QUEUED);
  g_queue_push_tail (&slots->waiting, job_ref (job));
}

static void
on_provider_canceled (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!takes_backend_cancel_finish (TAKES_BACKEND (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED) &&
      !g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_CANCELED))
    g_message ("The provider could not be asked to stop a task: %s", error->message);
}

static void
engine_cancel_remote (TakesJobEngine         *self,
                      TakesBackend           *backend,
                      TakesGenerationRequest *request,
                      const char             *remote_id)
{
  if (backend == NULL || request == NULL || remote_id == NULL)
    return;

  takes_backend_cancel_async (backend, request, remote_id, self->cancellable,
                              on_provider_canceled, NULL);
}

static void
on_submitted (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(TakesBackendStatus) immediate = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *remote_id = NULL;
  TakesJobEngine *self = job->engine;

  remote_id = takes_backend_submit_finish (TAKES_BACKEND (object), result, &immediate, &error);

  if (self == NULL)
    goto out;

  if (remote_id != NULL)
    {
      takes_take_set_remote_id (job->take, remote_id);
      takes_take_set_submitted (job->take, g_get_real_time () / G_USEC_PER_SEC);
    }

  if (job->cancel_requested)
    {
      /* The person canceled while the create was out: stop it there too. */
      engine_cancel_remote (self, job->backend, job->request, remote_id);
      engine_schedule_save (self);
      engine_drop_job (self, job, TRUE);
      goto out;
    }

  if (remote_id == NULL)
    {
      if (takes_backend_error_is_outcome_unknown (error))
        {
          g_autofree char *message =
            g_strdup_printf (_("%s may have received this request, but did not confirm it: %s "
                               "It is not sent again on its own, since it may cost money."),
                             takes_backend_get_display_name (job->backend), error->message);

          job_finish (job, TAKES_TAKE_UNKNOWN, message);
        }
      else
        job_fail (job, error);
      goto out;
    }

  job->phase = PHASE_POLLING;
  engine_set_state (self, job->take, TAKES_TAKE_QUEUED);
  /* The task id is what finds a paid task again after a crash: on disk
   * quickly, while a burst of answers still shares one save. */
  engine_schedule_save_within (self, REMOTE_ID_SAVE_MS);

  if (immediate != NULL)
    job_handle_status (job, immediate);
  else
    job_schedule (job, job->interval_ms);

out:
  job_unref (job);
}

/* ---- Polling --------------------------------------------------------------------- */

static gboolean
error_is_transient (const GError *error)
{
  if (error->domain != TAKES_BACKEND_ERROR)
    return error->domain == G_IO_ERROR;

  switch ((TakesBackendErrorCode)error->code)
    {
    case TAKES_BACKEND_ERROR_RATE_LIMIT:
    case TAKES_BACKEND_ERROR_SERVER:
    case TAKES_BACKEND_ERROR_NETWORK:
    case TAKES_BACKEND_ERROR_TIMEOUT:
      return TRUE;

    case TAKES_BACKEND_ERROR_AUTH:
    case TAKES_BACKEND_ERROR_QUOTA:
    case TAKES_BACKEND_ERROR_REJECTED:
    case TAKES_BACKEND_ERROR_INVALID_REQUEST:
    case TAKES_BACKEND_ERROR_CANCELED:
    case TAKES_BACKEND_ERROR_FAILED:
    case TAKES_BACKEND_ERROR_NOT_FOUND:
    default:
      return FALSE;
    }
}

static guint
job_next_delay (Job    *job,
                gint64  hint_ms)
{
  guint delay = job->interval_ms;
  TakesJobEngine *self = job->engine;

  job->interval_ms = (guint)MIN ((double)self->max_poll_ms, job->interval_ms * POLL_GROWTH);

  /* Jitter keeps takes started together from polling in lockstep; a
   * provider's hint is a minimum, so only ever later than it. */
  if (hint_ms > 0)
    delay = (guint)(CLAMP (hint_ms, 50, MAX_HINTED_DELAY_MS) * g_random_double_range (1.0, 1.1));
  else
    delay = (guint)(delay * g_random_double_range (0.9, 1.1));

  return delay;
}

static void
on_polled (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(TakesBackendStatus) status = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  status = takes_backend_poll_finish (TAKES_BACKEND (object), result, &error);

  if (job->engine == NULL)
    goto out;

  if (status != NULL)
    {
      job->failing_since = 0;
      job_handle_status (job, status);
      goto out;
    }

  name = takes_backend_get_display_name (job->backend);

  if (job->checking)
    {
      g_autofree char *message = g_strdup_printf (_("%s could not be asked about this take: %s"),
                                                  name, error->message);

      job_finish (job, TAKES_TAKE_UNKNOWN, message);
      goto out;
    }

  if (g_error_matches (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND))
    {
      g_autofree char *message = g_strdup_printf (_("%s no longer knows this take: %s"),
                                                  name, error->message);

      job_finish (job, TAKES_TAKE_FAILED, message);
      goto out;
    }

  if (job->failing_since == 0)
    job->failing_since = g_get_monotonic_time ();

  if (!error_is_transient (error) ||
      g_get_monotonic_time () - job->failing_since > (gint64)POLL_GIVE_UP_SECONDS * G_USEC_PER_SEC)
    {
      g_autofree char *message =
        g_strdup_printf (_("%s could not be asked how this take is doing: %s "
                           "Use “Check again” when that is fixed."),
                         name, error->message);

      job_finish (job, TAKES_TAKE_UNKNOWN, message);
      goto out;
    }

  g_debug ("Poll of %s failed, trying again: %s", takes_take_get_id (job->take), error->message);
  job_schedule (job, job_next_delay (job, takes_backend_error_get_retry_after (error)));

out:
  job_unref (job);
}

static void
job_poll (Job *job)
{
  job->phase = PHASE_POLLING;
  takes_backend_poll_async (job->backend, job->request, takes_take_get_remote_id (job->take),
                            job->cancellable, on_polled, job_ref (job));
}

static void
job_handle_status (Job                *job,
                   TakesBackendStatus *status)
{
  TakesJobEngine *self = job->engine;

  if (status->cost >= 0)
    takes_take_set_cost_actual (job->take, status->cost);

  if (job->checking || takes_take_get_state (job->take) == TAKES_TAKE_UNKNOWN)
    {
      /* The provider knows it after all: back in the normal flow. */
      job->checking = FALSE;
      takes_take_set_error (job->take, NULL);
    }

  switch (status->state)
    {
    case TAKES_BACKEND_STATE_QUEUED:
    case TAKES_BACKEND_STATE_RUNNING:
      engine_set_state (self, job->take, status->state == TAKES_BACKEND_STATE_QUEUED
                                         ? TAKES_TAKE_QUEUED : TAKES_TAKE_RUNNING);
      if (status->progress >= 0)
        takes_take_set_progress (job->take, CLAMP (status->progress, 0.0, 1.0));
      job_schedule (job, job_next_delay (job, status->retry_after_ms));
      break;

    case TAKES_BACKEND_STATE_SUCCEEDED:
      g_free (job->result_url);
      job->result_url = g_strdup (status->result_url);
      /* The provider's slot is free; downloading is ours. */
      job_release_slot (job);
      job_download (job);
      break;

    case TAKES_BACKEND_STATE_FAILED:
      {
        g_autofree char *fallback = NULL;

        if (status->message == NULL || status->message[0] == '\0')
          fallback = g_strdup_printf (_("%s could not make this take and gave no reason."),
                                      takes_backend_get_display_name (job->backend));

        job_finish (job, TAKES_TAKE_FAILED, fallback != NULL ? fallback : status->message);
      }
      break;

    case TAKES_BACKEND_STATE_CANCELED:
      job_finish (job, TAKES_TAKE_CANCELED,
                  status->message != NULL ? status->message : _("Canceled at the provider."));
      break;

    default:
      g_assert_not_reached ();
    }
}

/* ---- Downloading, validating, thumbnails ------------------------------------------ */

static GFile *
job_media_file (Job        *job,
                const char *extension)
{
  g_autoptr(GFile) dir = takes_project_get_media_dir (job->engine->project);
  g_autofree char *name = g_strconcat (takes_take_get_id (job->take), extension, NULL);

  if (dir == NULL)
    return NULL;

  return g_file_get_child (dir, name);
}

static void
job_delete_download (Job *job)
{
  g_autoptr(GFile) destination = job_media_file (job, ".mp4");
  g_autoptr(GFile) partial = NULL;
  g_autoptr(GFile) png = NULL;

  if (destination == NULL)
    return;

  partial = takes_http_get_partial_file (destination);
  png = job_media_file (job, ".png");
  g_file_delete (destination, NULL, NULL);
  g_file_delete (partial, NULL, NULL);
  g_file_delete (png, NULL, NULL);

  takes_take_set_media (job->take, NULL);
  takes_take_set_thumbnail (job->take, NULL);
}

static void
on_download_progress (goffset  current,
                      goffset  total,
                      gpointer user_data)
{
  Job *job = user_data;
  double progress;

  if (job->engine == NULL || total <= 0)
    return;

  /* Whole percents: a long download must not flood the model. */
  progress = floor (100.0 * current / total) / 100.0;
  if (progress != job->last_progress)
    {
      job->last_progress = progress;
      takes_take_set_progress (job->take, CLAMP (progress, 0.0, 1.0));
    }
}

static void
job_retry_download (Job          *job,
                    const GError *error,
                    gboolean      invalid_clip)
{
  job->download_attempts++;

  /* A transfer that broke off is resumed a few times. A clip that arrived
   * whole but is damaged gets one fresh download (it may have been
   * spliced from two versions), then it is the provider's file. */
  if (job->download_attempts >= MAX_DOWNLOAD_ATTEMPTS || (invalid_clip && job->clip_was_invalid))
    {
      g_autofree char *message = invalid_clip
        ? g_strdup_printf (_("The downloaded clip is damaged: %s"), error->message)
        : g_strdup_printf (_("The clip could not be downloaded: %s"), error->message);

      job_delete_download (job);
      job_finish_because (job, TAKES_TAKE_FAILED, message, error);
      return;
    }

  if (invalid_clip)
    job->clip_was_invalid = TRUE;

  g_debug ("Download of %s failed (%s), trying again", takes_take_get_id (job->take), error->message);

  if (invalid_clip)
    job_delete_download (job);

  job->phase = PHASE_DOWNLOADING;
  job_schedule (job, MIN (1000u << job->download_attempts, 15000u));
}

static void
on_thumbnailed (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) png = NULL;
  TakesJobEngine *self = job->engine;
  const char *picked;

  if (!takes_thumbnail_create_finish (result, &error))
    {
      if (self != NULL)
        g_warning ("No thumbnail for take %s: %s", takes_take_get_id (job->take), error->message);
    }
  else if (self != NULL)
    {
      g_autofree char *relative = NULL;

      png = job_media_file (job, ".png");
      relative = takes_project_relativize (self->project, png);
      takes_take_set_thumbnail (job->take, relative);
    }

  if (self == NULL)
    goto out;

  picked = takes_shot_get_picked_take_id (job->shot);
  if (picked == NULL || picked[0] == '\0' || takes_shot_find_take (job->shot, picked) == NULL)
    takes_shot_set_picked_take_id (job->shot, takes_take_get_id (job->take));

  job_finish (job, TAKES_TAKE_READY, NULL);

out:
  job_unref (job);
}

static void
on_probed (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(TakesMediaInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) video = NULL;
  g_autoptr(GFile) png = NULL;
  g_autofree char *relative = NULL;

  info = takes_media_probe_finish (result, &error);

  if (job->engine == NULL)
    goto out;

  if (info == NULL)
    {
      job_retry_download (job, error, TRUE);
      goto out;
    }

  video = job_media_file (job, ".mp4");
  png = job_media_file (job, ".png");
  relative = takes_project_relativize (job->engine->project, video);

  takes_take_set_media (job->take, relative);
  takes_take_set_probe (job->take, info->duration, info->width, info->height, info->fps,
                        info->video_codec, info->audio_codec, info->has_audio);

  takes_thumbnail_create_async (video, png, THUMBNAIL_WIDTH, job->cancellable,
                                on_thumbnailed, job_ref (job));

out:
  job_unref (job);
}

static void
check_container_in_thread (GTask        *task,
                           gpointer      source_object,
                           gpointer      task_data,
                           GCancellable *cancellable)
{
  GError *error = NULL;

  if (takes_media_check_container (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
on_container_checked (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) video = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (job->engine != NULL)
        job_retry_download (job, error, TRUE);
      goto out;
    }

  if (job->engine == NULL)
    goto out;

  video = job_media_file (job, ".mp4");
  takes_media_probe_async (video, job->cancellable, on_probed, job_ref (job));

out:
  job_unref (job);
}

static void
on_downloaded (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) check = NULL;

  if (!takes_backend_download_finish (TAKES_BACKEND (object), result, &error))
    {
      if (job->engine != NULL)
        job_retry_download (job, error, FALSE);
      goto out;
    }

  if (job->engine == NULL)
    goto out;

  /* A clip cut short passes GstDiscoverer; the box walk catches it. It
   * reads from disk, so not on this thread. */
  job->phase = PHASE_VALIDATING;
  check = g_task_new (NULL, job->cancellable, on_container_checked, job_ref (job));
  g_task_set_source_tag (check, check_container_in_thread);
  g_task_set_task_data (check, job_media_file (job, ".mp4"), g_object_unref);
  g_task_run_in_thread (check, check_container_in_thread);

out:
  job_unref (job);
}

static void
job_download (Job *job)
{
  TakesJobEngine *self = job->engine;
  g_autoptr(GFile) destination = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  job->phase = PHASE_DOWNLOADING;
  engine_set_state (self, job->take, TAKES_TAKE_DOWNLOADING);

  if (job->result_url == NULL)
    {
      /* After a restart: the address comes from asking again. */
      job_poll (job);
      return;
    }

  dir = takes_project_get_media_dir (self->project);
  if (dir == NULL)
    {
      g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("The project has no folder to keep its media in. Save it first."));
      job_fail (job, error);
      return;
    }

  if (!g_file_make_directory_with_parents (dir, NULL, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_autofree char *message = g_strdup_printf (_("The media folder could not be made: %s"),
                                                  error->message);

      job_finish (job, TAKES_TAKE_FAILED, message);
      return;
    }

  job->last_progress = -1;
  destination = job_media_file (job, ".mp4");
  takes_backend_download_async (job->backend, job->request, takes_take_get_remote_id (job->take),
                                job->result_url, destination,
                                on_download_progress, job_ref (job), job_unref,
                                job->cancellable, on_downloaded, job_ref (job));
}

/* ---- GObject --------------------------------------------------------------------- */

static void
takes_job_engine_dispose (GObject *object)
{
  TakesJobEngine *self = (TakesJobEngine *)object;

  if (self->jobs != NULL)
    takes_job_engine_shutdown (self);

  g_clear_object (&self->project);
  g_clear_object (&self->registry);

  G_OBJECT_CLASS (takes_job_engine_parent_class)->dispose (object);
}

static void
takes_job_engine_finalize (GObject *object)
{
  TakesJobEngine *self = (TakesJobEngine *)object;

  g_clear_pointer (&self->jobs, g_hash_table_unref);
  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_pointer (&self->agenda, g_sequence_free);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->default_resolution);

  G_OBJECT_CLASS (takes_job_engine_parent_class)->finalize (object);
}

static void
takes_job_engine_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TakesJobEngine *self = TAKES_JOB_ENGINE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;

    case PROP_REGISTRY:
      g_value_set_object (value, self->registry);
      break;

    case PROP_N_ACTIVE:
      g_value_set_uint (value, self->n_active);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_job_engine_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TakesJobEngine *self = TAKES_JOB_ENGINE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;

    case PROP_REGISTRY:
      self->registry = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_job_engine_class_init (TakesJobEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_job_engine_dispose;
  object_class->finalize = takes_job_engine_finalize;
  object_class->get_property = takes_job_engine_get_property;
  object_class->set_property = takes_job_engine_set_property;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL,
                         TAKES_TYPE_PROJECT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REGISTRY] =
    g_param_spec_object ("registry", NULL, NULL,
                         TAKES_TYPE_BACKEND_REGISTRY,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ACTIVE] =
    g_param_spec_uint ("n-active", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[TAKE_FINISHED] =
    g_signal_new ("take-finished",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, TAKES_TYPE_SHOT, TAKES_TYPE_TAKE);
  /**
   * TakesJobEngine::take-failed:
   * @shot: the take's shot
   * @take: the take, now failed
   * @error: why, in the backend error domain where the backend said so
   *
   * Emitted before "take-finished" when a take failed for a known error,
   * so that a caller can tell rejected keys and network trouble apart.
   */
  signals[TAKE_FAILED] =
    g_signal_new ("take-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, TAKES_TYPE_SHOT, TAKES_TYPE_TAKE, G_TYPE_ERROR);
  signals[IDLE] =
    g_signal_new ("idle",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
takes_job_engine_init (TakesJobEngine *self)
{
  self->jobs = g_hash_table_new_full (NULL, NULL, NULL, job_unref);
  self->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, backend_slots_free);
  self->cancellable = g_cancellable_new ();
  self->agenda = g_sequence_new (job_unref);
  self->context = g_main_context_ref_thread_default ();
  self->first_poll_ms = DEFAULT_FIRST_POLL_MS;
  self->max_poll_ms = DEFAULT_MAX_POLL_MS;
}

/* ---- Public API ---------------------------------------------------------------------- */

TakesJobEngine *
takes_job_engine_new (TakesProject         *project,
                      TakesBackendRegistry *registry)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (project), NULL);
  g_return_val_if_fail (TAKES_IS_BACKEND_REGISTRY (registry), NULL);

  return g_object_new (TAKES_TYPE_JOB_ENGINE,
                       "project", project,
                       "registry", registry,
                       NULL);
}

TakesProject *
takes_job_engine_get_project (TakesJobEngine *self)
{
  g_return_val_if_fail (TAKES_IS_JOB_ENGINE (self), NULL);

  return self->project;
}

guint
takes_job_engine_get_n_active (TakesJobEngine *self)
{
  g_return_val_if_fail (TAKES_IS_JOB_ENGINE (self), 0);

  return self->n_active;
}

void
takes_job_engine_set_default_resolution (TakesJobEngine *self,
                                         const char     *resolution)
{
  g_return_if_fail (TAKES_IS_JOB_ENGINE (self));

  g_free (self->default_resolution);
  self->default_resolution = (resolution != NULL && resolution[0] != '\0') ? g_strdup (resolution) : NULL;
}

void
takes_job_engine_set_poll_intervals (TakesJobEngine *self,
                                     guint           first_ms,
                                     guint           max_ms)
{
  g_return_if_fail (TAKES_IS_JOB_ENGINE (self));

  self->first_poll_ms = MAX (first_ms, 10);
  self->max_poll_ms = MAX (max_ms, self->first_poll_ms);
}

static gboolean
strv_contains_ascii_nocase (const char * const *strv,
                            const char         *str)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_ascii_strcasecmp (strv[i], str) == 0)
      return TRUE;

  return FALSE;
}

static const char *
engine_choose_resolution (TakesJobEngine *self,
                          TakesBackend   *backend)
{
  const char * const *resolutions = takes_backend_get_resolutions (backend);

  if (self->default_resolution != NULL &&
      (TAKES_BACKEND_GET_CLASS (backend)->any_frame_size ||
       strv_contains_ascii_nocase (resolutions, self->default_resolution)))
    return self->default_resolution;

  if (resolutions == NULL || resolutions[0] == NULL ||
      strv_contains_ascii_nocase (resolutions, DEFAULT_RESOLUTION))
    return DEFAULT_RESOLUTION;

  return resolutions[0];
}

static TakesGenerationRequest *
engine_build_request (TakesJobEngine *self,
                      TakesShot      *shot,
                      TakesBackend   *backend,
                      const char     *model)
{
  g_autoptr(TakesGenerationRequest) request = NULL;
  g_autoptr(JsonObject) extra = json_object_new ();
  JsonObject *all_params = takes_shot_get_backend_params (shot);
  const char *backend_id = takes_backend_get_id (backend);
  const char *negative = takes_shot_get_negative_prompt (shot);
  const char *image = takes_shot_get_reference_image (shot);
  gint64 seed = takes_shot_get_seed (shot);
  guint position = 0;

  request = takes_generation_request_new (takes_shot_get_prompt (shot));
  takes_generation_request_set_negative_prompt (request, (negative != NULL && negative[0] != '\0') ? negative : NULL);
  takes_generation_request_set_model (request, (model != NULL && model[0] != '\0')
                                               ? model : takes_backend_get_default_model (backend));
  takes_generation_request_set_duration (request, takes_shot_get_duration (shot));
  takes_generation_request_set_aspect_ratio (request, takes_shot_get_aspect (shot));
  takes_generation_request_set_resolution (request, engine_choose_resolution (self, backend));
  takes_generation_request_set_fps (request, (int)lround (takes_project_get_fps (self->project)));

  /* No fixed seed: pick one now and keep it, so the take can be made
   * again exactly. */
  if (seed < 0)
    seed = g_random_int_range (0, G_MAXINT32);
  takes_generation_request_set_seed (request, seed);

  if (image != NULL && image[0] != '\0')
    {
      g_autoptr(GFile) file = g_path_is_absolute (image) ? g_file_new_for_path (image)
                                                          : takes_project_resolve (self->project, image);
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

      takes_generation_request_set_image (request, path != NULL ? path : image);
    }

  if (all_params != NULL && json_object_has_member (all_params, backend_id) &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (all_params, backend_id)))
    {
      JsonObject *params = json_object_get_object_member (all_params, backend_id);
      g_autoptr(GList) members = json_object_get_members (params);

      for (GList *l = members; l != NULL; l = l->next)
        json_object_set_member (extra, l->data,
                                json_node_copy (json_object_get_member (params, l->data)));
    }

  /* The last frame is kept like the reference image: a path relative to
   * the project, which the backends need absolute. */
  if (json_object_has_member (extra, "end_image"))
    {
      JsonNode *node = json_object_get_member (extra, "end_image");
      const char *end = JSON_NODE_HOLDS_VALUE (node) &&
                        json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;

      if (end != NULL && end[0] != '\0')
        {
          g_autoptr(GFile) file = g_path_is_absolute (end) ? g_file_new_for_path (end)
                                                           : takes_project_resolve (self->project, end);
          g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

          takes_generation_request_set_end_image (request, path != NULL ? path : end);
        }
      json_object_remove_member (extra, "end_image");
    }

  takes_generation_request_set_extra (request, extra);

  /* What the animatic draws on its card. */
  if (g_str_equal (backend_id, "animatic"))
    {
      g_autofree char *title = takes_shot_dup_display_title (shot);

      takes_project_find_shot_position (self->project, shot, &position);
      takes_generation_request_set_extra_string (request, "title", title);
      takes_generation_request_set_extra_int (request, "shot_number", position + 1);
    }

  return g_steal_pointer (&request);
}

TakesGenerationRequest *
takes_job_engine_build_request (TakesJobEngine *self,
                                TakesShot      *shot,
                                const char     *backend_id,
                                const char     *model)
{
  TakesBackend *backend;

  g_return_val_if_fail (TAKES_IS_JOB_ENGINE (self), NULL);
  g_return_val_if_fail (TAKES_IS_SHOT (shot), NULL);
  g_return_val_if_fail (backend_id != NULL, NULL);

  backend = takes_backend_registry_lookup (self->registry, backend_id);
  if (backend == NULL)
    return NULL;

  return engine_build_request (self, shot, backend, model);
}

double
takes_job_engine_estimate (TakesJobEngine *self,
                           TakesShot      *shot,
                           const char     *backend_id,
                           const char     *model,
                           guint           n_takes)
{
  g_autoptr(TakesGenerationRequest) request = NULL;
  TakesBackend *backend;
  double each;

  g_return_val_if_fail (TAKES_IS_JOB_ENGINE (self), -1);
  g_return_val_if_fail (TAKES_IS_SHOT (shot), -1);

  backend = backend_id != NULL ? takes_backend_registry_lookup (self->registry, backend_id) : NULL;
  if (backend == NULL)
    return -1;

  request = engine_build_request (self, shot, backend, model);
  each = takes_backend_estimate_cost (backend, request);
  if (each < 0)
    return -1;

  return each * n_takes;
}

/* What the project has spent or committed to: every take that is not
 * failed or canceled, at its actual cost where known. */
static double
engine_get_spending (TakesJobEngine *self,
                     TakesTake      *except)
{
  double total = 0;

  for (guint i = 0; i < takes_project_get_n_shots (self->project); i++)
    {
      TakesShot *shot = takes_project_get_shot (self->project, i);
      GListModel *takes = takes_shot_get_takes (shot);

      for (guint j = 0; j < g_list_model_get_n_items (takes); j++)
        {
          g_autoptr(TakesTake) take = g_list_model_get_item (takes, j);
          TakesTakeState state = takes_take_get_state (take);
          double cost;

          if (take == except || state == TAKES_TAKE_FAILED || state == TAKES_TAKE_CANCELED ||
              state == TAKES_TAKE_DRAFT)
            continue;

          cost = takes_take_get_cost_actual (take);
          if (cost < 0)
            cost = takes_take_get_cost_estimate (take);
          if (cost > 0)
            total += cost;
        }
    }

  return total;
}

static gboolean
engine_check_budget (TakesJobEngine  *self,
                     double           extra,
                     TakesTake       *except,
                     GError         **error)
{
  double budget = takes_project_get_budget (self->project);
  double total;

  /* An unknown price cannot be held against the cap. */
  if (budget <= 0 || extra <= 0)
    return TRUE;

  total = engine_get_spending (self, except) + extra;
  if (total > budget + 0.005)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_QUOTA,
                   _("This would bring the project’s spending to $%.2f, over its budget of $%.2f. "
                     "Raise the budget in the project’s settings or make fewer takes."),
                   total, budget);
      return FALSE;
    }

  return TRUE;
}

static TakesBackend *
engine_get_usable_backend (TakesJobEngine  *self,
                           const char      *backend_id,
                           GError         **error)
{
  TakesBackend *backend;

  backend = backend_id != NULL ? takes_backend_registry_lookup (self->registry, backend_id) : NULL;
  if (backend == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND,
                   _("There is no backend called “%s”."), backend_id != NULL ? backend_id : "");
      return NULL;
    }

  if (!takes_backend_is_configured (backend))
    {
      const char * const *names = takes_backend_get_credential_names (backend);
      g_autofree char *joined = g_strjoinv (", ", (char **)names);

      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_AUTH,
                   _("%s is not set up: add its key in Preferences, or set %s."),
                   takes_backend_get_display_name (backend), joined);
      return NULL;
    }

  return backend;
}

static gboolean
engine_check_file (TakesJobEngine  *self,
                   GError         **error)
{
  if (takes_project_get_file (self->project) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           _("Save the project before generating takes: each take is recorded in the "
                             "project file before it is paid for, and its clip is kept next to it."));
      return FALSE;
    }

  return TRUE;
}

static TakesShot *
engine_find_shot_of_take (TakesJobEngine *self,
                          TakesTake      *take)
{
  for (guint i = 0; i < takes_project_get_n_shots (self->project); i++)
    {
      TakesShot *shot = takes_project_get_shot (self->project, i);

      if (takes_shot_find_take (shot, takes_take_get_id (take)) == take)
        return shot;
    }

  return NULL;
}

static void
take_store_request (TakesTake              *take,
                    TakesGenerationRequest *request)
{
  g_autoptr(JsonObject) json = takes_generation_request_to_json (request);

  takes_take_set_client_request_id (take, takes_generation_request_get_client_request_id (request));
  takes_take_set_request (take, json);
}

GPtrArray *
takes_job_engine_generate (TakesJobEngine  *self,
                           TakesShot       *shot,
                           const char      *backend_id,
                           const char      *model,
                           guint            n_takes,
                           GError         **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(TakesGenerationRequest) request = NULL;
  TakesBackend *backend;
  double each;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (TAKES_IS_JOB_ENGINE (self), NULL);
  g_return_val_if_fail (TAKES_IS_SHOT (shot), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!engine_check_file (self, error))
    return NULL;

  if ((backend = engine_get_usable_backend (self, backend_id, error)) == NULL)
    return NULL;

  request = engine_build_request (self, shot, backend, model);
  if (!takes_backend_validate_request (backend, request, error))
    return NULL;

  each = takes_backend_estimate_cost (backend, request);
  if (!engine_check_budget (self, each > 0 ? each * n_takes : -1, NULL, error))
    return NULL;

  for (guint i = 0; i < n_takes; i++)
    {
      g_autoptr(TakesGenerationRequest) own = NULL;
      g_autoptr(TakesTake) take = NULL;
      g_autofree char *client_request_id = g_uuid_string_random ();
      Job *job;

      /* Each take of a seedless shot gets its own seed: a variation. */
      own = i == 0 || takes_shot_get_seed (shot) >= 0
            ? takes_generation_request_copy (request)
            : engine_build_request (self, shot, backend, model);
      takes_generation_request_set_client_request_id (own, client_request_id);

      take = takes_take_new (backend_id, takes_generation_request_get_model (own));
      take_store_request (take, own);
      takes_take_set_cost_estimate (take, takes_backend_estimate_cost (backend, own));
      takes_take_set_created (take, now);
      takes_take_set_state (take, TAKES_TAKE_QUEUED);
      takes_shot_add_take (shot, take);

      job = job_new (self, shot, take, backend, own);
      job_enqueue (job);
      g_ptr_array_add (result, g_steal_pointer (&take));
    }

  engine_pump (self);

  return g_steal_pointer (&result);
}

/* A take whose request is stored, sent again as a new paid attempt. */
static gboolean
engine_resubmit (TakesJobEngine  *self,
                 TakesTake       *take,
                 GError         **error)
{
  g_autoptr(TakesGenerationRequest) request = NULL;
  g_autofree char *client_request_id = NULL;
  JsonObject *json;
  TakesBackend *backend;
  TakesShot *shot;
  Job *job;

  if (!engine_check_file (self, error))
    return FALSE;

  shot = engine_find_shot_of_take (self, take);
  if (shot == NULL)
    {
      g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND,
                           _("This take is no longer part of the project."));
      return FALSE;
    }

  if ((backend = engine_get_usable_backend (self, takes_take_get_backend (take), error)) == NULL)
    return FALSE;

  json = takes_take_get_request (take);
  if (json == NULL)
    request = engine_build_request (self, shot, backend, takes_take_get_model (take));
  else if ((request = takes_generation_request_from_json (json, error)) == NULL)
    return FALSE;

  if (!takes_backend_validate_request (backend, request, error))
    return FALSE;

  if (!engine_check_budget (self, takes_backend_estimate_cost (backend, request), take, error))
    return FALSE;

  /* A new attempt needs a new key, or an idempotent provider would hand
   * back the old task. */
  client_request_id = g_uuid_string_random ();
  takes_generation_request_set_client_request_id (request, client_request_id);
  take_store_request (take, request);

  takes_take_set_remote_id (take, NULL);
  takes_take_set_error (take, NULL);
  takes_take_set_progress (take, 0);
  takes_take_set_cost_estimate (take, takes_backend_estimate_cost (backend, request));
  takes_take_set_cost_actual (take, -1);
  takes_take_set_submitted (take, 0);
  takes_take_set_finished (take, 0);

  job = job_new (self, shot, take, backend, request);
  job_enqueue (job);
  engine_pump (self);

  return TRUE;
}

gboolean
takes_job_engine_retry (TakesJobEngine  *self,
                        TakesTake       *take,
                        GError         **error)
{
  TakesTakeState state;

  g_return_val_if_fail (TAKES_IS_JOB_ENGINE (self), FALSE);
  g_return_val_if_fail (TAKES_IS_TAKE (take), FALSE);

  state = takes_take_get_state (take);
  if ((state != TAKES_TAKE_FAILED && state != TAKES_TAKE_CANCELED) ||
      g_hash_table_contains (self->jobs, take))
    {
      g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                           _("Only a failed or canceled take can be tried again."));
      return FALSE;
    }

  return engine_resubmit (self, take, error);
}

gboolean
takes_job_engine_submit_anyway (TakesJobEngine  *self,
                                TakesTake       *take,
                                GError         **error)
{
  g_return_val_if_fail (TAKES_IS_JOB_ENGINE (self), FALSE);
  g_return_val_if_fail (TAKES_IS_TAKE (take), FALSE);

  if (takes_take_get_state (take) != TAKES_TAKE_UNKNOWN || g_hash_table_contains (self->jobs, take))
    {
      g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                           _("Only a take whose submission is in doubt can be submitted anyway."));
      return FALSE;
    }

  return engine_resubmit (self, take, error);
}

/* A job for a take that the provider already has. */
static Job *
engine_track_remote (TakesJobEngine *self,
                     TakesShot      *shot,
                     TakesTake      *take,
                     GError        **error)
{
  g_autoptr(TakesGenerationRequest) request = NULL;
  JsonObject *json = takes_take_get_request (take);
  TakesBackend *backend;
  Job *job;

  backend = takes_backend_registry_lookup (self->registry, takes_take_get_backend (take));
  if (backend == NULL)
    {
      g_set_error (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_NOT_FOUND,
                   _("The backend “%s” that made this take is not available."),
                   takes_take_get_backend (take));
      return NULL;
    }

  if (json == NULL)
    {
      g_set_error_literal (error, TAKES_BACKEND_ERROR, TAKES_BACKEND_ERROR_INVALID_REQUEST,
                           _("The project does not hold the request of this take, so it cannot be followed."));
      return NULL;
    }

  request = takes_generation_request_from_json (json, error);
  if (request == NULL)
    return NULL;

  job = job_new (self, shot, take, backend, request);
  job_take_slot (job);

  return job;
}

void
takes_job_engine_resume (TakesJobEngine *self)
{
  g_return_if_fail (TAKES_IS_JOB_ENGINE (self));

  for (guint i = 0; i < takes_project_get_n_shots (self->project); i++)
    {
      TakesShot *shot = takes_project_get_shot (self->project, i);
      GListModel *takes = takes_shot_get_takes (shot);

      for (guint j = 0; j < g_list_model_get_n_items (takes); j++)
        {
          g_autoptr(TakesTake) take = g_list_model_get_item (takes, j);
          g_autoptr(GError) error = NULL;
          TakesTakeState state = takes_take_get_state (take);
          const char *remote_id = takes_take_get_remote_id (take);
          Job *job;

          if (!takes_take_state_is_in_flight (state) || g_hash_table_contains (self->jobs, take))
            continue;

          if (remote_id == NULL)
            {
              if (state == TAKES_TAKE_QUEUED)
                {
                  /* Waiting here, never sent: safe to send now. */
                  TakesBackend *backend = takes_backend_registry_lookup (self->registry,
                                                                         takes_take_get_backend (take));
                  g_autoptr(TakesGenerationRequest) request = NULL;
                  JsonObject *json = takes_take_get_request (take);

                  if (backend != NULL && json != NULL &&
                      (request = takes_generation_request_from_json (json, &error)) != NULL)
                    {
                      job = job_new (self, shot, take, backend, request);
                      job_enqueue (job);
                      continue;
                    }
                }

              /* The create may have gone out just before Takes stopped. */
              takes_take_set_state (take, TAKES_TAKE_UNKNOWN);
              takes_take_set_error (take, _("Takes stopped while sending this request, so it is not known "
                                            "whether the provider received it. “Submit anyway” sends it "
                                            "again, which may cost a second time."));
              engine_schedule_save (self);
              continue;
            }

          job = engine_track_remote (self, shot, take, &error);
          if (job == NULL)
            {
              takes_take_set_error (take, error->message);
              continue;
            }

          if (state == TAKES_TAKE_SUBMITTING)
            engine_set_state (self, take, TAKES_TAKE_QUEUED);

          if (state == TAKES_TAKE_DOWNLOADING)
            {
              /* Ask again for the address; the partial file is resumed. */
              job->phase = PHASE_DOWNLOADING;
            }

          job_poll (job);
        }
    }

  engine_schedule_pump (self);
}

void
takes_job_engine_cancel (TakesJobEngine *self,
                         TakesTake      *take)
{
  Job *job;

  g_return_if_fail (TAKES_IS_JOB_ENGINE (self));
  g_return_if_fail (TAKES_IS_TAKE (take));

  job = g_hash_table_lookup (self->jobs, take);

  if (job == NULL)
    {
      TakesTakeState state = takes_take_get_state (take);

      /* Giving up on a take in doubt: ask the provider to stop it if we
       * know its id, and count it out of the spending. */
      if (state == TAKES_TAKE_UNKNOWN || state == TAKES_TAKE_DRAFT)
        {
          TakesBackend *backend = takes_backend_registry_lookup (self->registry, takes_take_get_backend (take));
          JsonObject *json = takes_take_get_request (take);
          g_autoptr(TakesGenerationRequest) request = json != NULL
            ? takes_generation_request_from_json (json, NULL) : NULL;
          TakesShot *shot = engine_find_shot_of_take (self, take);

          engine_cancel_remote (self, backend, request, takes_take_get_remote_id (take));
          takes_take_set_finished (take, g_get_real_time () / G_USEC_PER_SEC);
          engine_set_state (self, take, TAKES_TAKE_CANCELED);
          if (shot != NULL)
            g_signal_emit (self, signals[TAKE_FINISHED], 0, shot, take);
        }
      return;
    }

  if (job->cancel_requested)
    return;

  job->cancel_requested = TRUE;

  if (job->phase == PHASE_SUBMITTING)
    {
      /* The create is out; its answer carries the id to cancel. The take
       * shows canceled now and the job ends when the answer arrives. */
      g_autoptr(TakesTake) take_ref = g_object_ref (take);
      g_autoptr(TakesShot) shot_ref = g_object_ref (job->shot);

      takes_take_set_finished (take, g_get_real_time () / G_USEC_PER_SEC);
      engine_set_state (self, take, TAKES_TAKE_CANCELED);
      g_signal_emit (self, signals[TAKE_FINISHED], 0, shot_ref, take_ref);
      return;
    }

  if (job->phase == PHASE_POLLING && takes_take_get_remote_id (take) != NULL)
    engine_cancel_remote (self, job->backend, job->request, takes_take_get_remote_id (take));

  g_cancellable_cancel (job->cancellable);
  if (job->phase == PHASE_DOWNLOADING || job->phase == PHASE_VALIDATING)
    job_delete_download (job);

  job_finish (job, TAKES_TAKE_CANCELED, NULL);
}

void
takes_job_engine_check_again (TakesJobEngine *self,
                              TakesTake      *take)
{
  g_autoptr(GError) error = NULL;
  TakesShot *shot;
  Job *job;

  g_return_if_fail (TAKES_IS_JOB_ENGINE (self));
  g_return_if_fail (TAKES_IS_TAKE (take));

  if (takes_take_get_state (take) != TAKES_TAKE_UNKNOWN || g_hash_table_contains (self->jobs, take))
    return;

  if (takes_take_get_remote_id (take) == NULL)
    {
      takes_take_set_error (take, _("The provider never confirmed this request, so Takes has no task id "
                                    "to ask about. Check the provider’s website, or use “Submit anyway” "
                                    "(which may cost a second time)."));
      engine_schedule_save (self);
      return;
    }

  shot = engine_find_shot_of_take (self, take);
  if (shot == NULL)
    return;

  job = engine_track_remote (self, shot, take, &error);
  if (job == NULL)
    {
      takes_take_set_error (take, error->message);
      engine_schedule_save (self);
      return;
    }

  job->checking = TRUE;
  job_poll (job);
}

void
takes_job_engine_shutdown (TakesJobEngine *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (TAKES_IS_JOB_ENGINE (self));

  /* Whatever changed is on disk before we go. */
  if (self->save_source != NULL && !engine_save_now (self, &error))
    g_warning ("The project could not be saved on shutdown: %s", error->message);

  if (self->pump_source != NULL)
    {
      g_source_destroy (self->pump_source);
      g_clear_pointer (&self->pump_source, g_source_unref);
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  jobs = g_ptr_array_new_with_free_func (job_unref);
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (jobs, job_ref (value));

  g_hash_table_remove_all (self->slots);

  for (guint i = 0; i < jobs->len; i++)
    {
      Job *job = g_ptr_array_index (jobs, i);

      job->holds_slot = FALSE;
      job_stop_timer (job);
      job->engine = NULL;
      g_cancellable_cancel (job->cancellable);
    }

  g_hash_table_remove_all (self->jobs);
  engine_arm_timer (self);

  if (self->n_active != 0)
    {
      self->n_active = 0;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ACTIVE]);
    }
}
