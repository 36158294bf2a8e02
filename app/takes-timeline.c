/* takes-timeline.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-timeline"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/pbutils/pbutils.h>
#include <math.h>

#include "takes-timeline.h"

/* A duration read as seconds is floored to frames, but 4.25 s × 24 must
 * stay 102 frames even when the double is a hair under. */
#define FRAME_EPSILON 1e-3

typedef struct
{
  TakesShot    *shot;          /* owned */
  GESClip      *clip;          /* borrowed: the layer owns it */
  GstClockTime  start;
  GstClockTime  duration;
  GstClockTime  inpoint;
  GstClockTime  overlap_next;
  gboolean      placeholder;
  char         *problem;
} ShotEntry;

struct _TakesTimeline
{
  GObject        parent_instance;

  /* owned */
  TakesProject  *project;
  GESTimeline   *timeline;
  GHashTable    *assets;        /* uri → GESAsset */
  GHashTable    *failed;        /* uri → error message */
  GHashTable    *requesting;    /* uri set */
  GArray        *entries;       /* ShotEntry */
  GList         *waiting;       /* GTask */
  GCancellable  *cancellable;
  char          *signature;

  /* borrowed */
  GESTrack      *video_track;
  GESTrack      *audio_track;

  int            width_override;
  int            height_override;
  double         fps_override;

  int            width;
  int            height;
  int            fps_n;
  int            fps_d;

  GstClockTime   duration;
  guint          idle_id;
  gboolean       follow_changes;
};

G_DEFINE_FINAL_TYPE (TakesTimeline, takes_timeline, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROJECT,
  PROP_FOLLOW_CHANGES,
  PROP_DURATION,
  N_PROPS
};

enum {
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_update (TakesTimeline *self);

static void
shot_entry_clear (gpointer data)
{
  ShotEntry *entry = data;

  g_clear_object (&entry->shot);
  g_clear_pointer (&entry->problem, g_free);
}

void
takes_timeline_fps_to_fraction (double  fps,
                                int    *fps_n,
                                int    *fps_d)
{
  static const struct { double fps; int n; int d; } ntsc[] = {
    { 23.976, 24000, 1001 },
    { 29.97, 30000, 1001 },
    { 47.952, 48000, 1001 },
    { 59.94, 60000, 1001 },
    { 119.88, 120000, 1001 },
  };

  g_return_if_fail (fps_n != NULL && fps_d != NULL);

  if (!isfinite (fps) || fps <= 0)
    fps = TAKES_PROJECT_DEFAULT_FPS;

  /* People write 23.976 and mean the NTSC rate; a fraction with 125 in
   * the denominator would put every frame a little off. */
  for (guint i = 0; i < G_N_ELEMENTS (ntsc); i++)
    {
      if (fabs (fps - ntsc[i].fps) < 0.005)
        {
          *fps_n = ntsc[i].n;
          *fps_d = ntsc[i].d;
          return;
        }
    }

  if (fabs (fps - round (fps)) < 1e-6)
    {
      *fps_n = (int) round (fps);
      *fps_d = 1;
      return;
    }

  gst_util_double_to_fraction (fps, fps_n, fps_d);
}

void
takes_timeline_fit_rect (TakesShotFit  fit,
                         int           src_width,
                         int           src_height,
                         int           frame_width,
                         int           frame_height,
                         int          *x,
                         int          *y,
                         int          *width,
                         int          *height)
{
  double scale_x, scale_y, scale;
  int w, h;

  if (src_width <= 0 || src_height <= 0)
    {
      src_width = frame_width;
      src_height = frame_height;
    }

  scale_x = (double) frame_width / src_width;
  scale_y = (double) frame_height / src_height;
  scale = fit == TAKES_SHOT_FIT_FILL ? MAX (scale_x, scale_y) : MIN (scale_x, scale_y);

  w = (int) lround (src_width * scale);
  h = (int) lround (src_height * scale);

  /* Rounding may leave a one-pixel line of the bars; snap to the frame */
  if (abs (w - frame_width) <= 1)
    w = frame_width;
  if (abs (h - frame_height) <= 1)
    h = frame_height;

  *width = MAX (w, 1);
  *height = MAX (h, 1);
  *x = (frame_width - *width) / 2;
  *y = (frame_height - *height) / 2;
}

GstClockTime
takes_timeline_frame_to_time (TakesTimeline *self,
                              gint64         frame)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), 0);

  if (frame <= 0)
    return 0;

  return gst_util_uint64_scale (frame, (guint64) GST_SECOND * self->fps_d, self->fps_n);
}

gint64
takes_timeline_time_to_frame (TakesTimeline *self,
                              GstClockTime   time)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), 0);

  if (!GST_CLOCK_TIME_IS_VALID (time))
    return 0;

  /* frame_to_time() rounds down to the nanosecond; one more keeps a frame
   * start from reading as the end of the previous frame. */
  return (gint64) gst_util_uint64_scale (time + 1, self->fps_n, (guint64) GST_SECOND * self->fps_d);
}

static gint64
seconds_to_frames_floor (TakesTimeline *self,
                         double         seconds)
{
  if (!isfinite (seconds) || seconds <= 0)
    return 0;

  return (gint64) floor (seconds * self->fps_n / self->fps_d + FRAME_EPSILON);
}

static gint64
seconds_to_frames_round (TakesTimeline *self,
                         double         seconds)
{
  if (!isfinite (seconds) || seconds <= 0)
    return 0;

  return (gint64) llround (seconds * self->fps_n / self->fps_d);
}

static gint64
time_to_frames_floor (TakesTimeline *self,
                      GstClockTime   time)
{
  /* The scale floors */
  return takes_timeline_time_to_frame (self, time);
}

static void
update_format (TakesTimeline *self)
{
  self->width = self->width_override > 0 ? self->width_override
                                         : takes_project_get_width (self->project);
  self->height = self->height_override > 0 ? self->height_override
                                           : takes_project_get_height (self->project);
  takes_timeline_fps_to_fraction (self->fps_override > 0 ? self->fps_override
                                                         : takes_project_get_fps (self->project),
                                  &self->fps_n, &self->fps_d);
}

static void
apply_restriction_caps (TakesTimeline *self)
{
  g_autoptr(GstCaps) video = NULL;
  g_autoptr(GstCaps) audio = NULL;

  video = gst_caps_new_simple ("video/x-raw",
                               "width", G_TYPE_INT, self->width,
                               "height", G_TYPE_INT, self->height,
                               "framerate", GST_TYPE_FRACTION, self->fps_n, self->fps_d,
                               "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1,
                               NULL);
  audio = gst_caps_new_simple ("audio/x-raw",
                               "rate", G_TYPE_INT, TAKES_TIMELINE_AUDIO_RATE,
                               "channels", G_TYPE_INT, TAKES_TIMELINE_AUDIO_CHANNELS,
                               NULL);

  /* Update, not set: the tracks' other defaults (formats) stay. GES
   * would otherwise render 1280x720@30 and 44.1 kHz. */
  if (self->video_track != NULL)
    ges_track_update_restriction_caps (self->video_track, video);
  if (self->audio_track != NULL)
    ges_track_update_restriction_caps (self->audio_track, audio);
}

/* The shot's picked take as a media URI, or NULL with *problem set when
 * it has one that cannot be used, or NULL alone when it has none. */
static char *
dup_take_uri (TakesTimeline  *self,
              TakesShot      *shot,
              char          **problem)
{
  TakesTake *take = takes_shot_get_picked_take (shot);
  g_autoptr(GFile) file = NULL;

  *problem = NULL;

  if (take == NULL || takes_take_get_state (take) != TAKES_TAKE_READY)
    return NULL;

  if (takes_take_get_media (take) == NULL)
    {
      *problem = g_strdup (_("The picked take has no media file"));
      return NULL;
    }

  file = takes_project_resolve (self->project, takes_take_get_media (take));
  if (!g_file_query_exists (file, NULL))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      *problem = g_strdup_printf (_("Media file “%s” is missing"), name);
      return NULL;
    }

  return g_file_get_uri (file);
}

static char *
dup_soundtrack_uri (TakesTimeline       *self,
                    TakesSoundtrackClip *clip)
{
  g_autoptr(GFile) file = NULL;

  if (takes_soundtrack_clip_get_media (clip) == NULL)
    return NULL;

  file = takes_project_resolve (self->project, takes_soundtrack_clip_get_media (clip));
  if (!g_file_query_exists (file, NULL))
    return NULL;

  return g_file_get_uri (file);
}

/* Everything the GES timeline is built from, except the texts that only
 * go into metadata: equal signatures, equal timelines. */
static char *
compute_signature (TakesTimeline *self)
{
  GString *sig = g_string_new (NULL);
  GListModel *soundtrack = takes_project_get_soundtrack (self->project);
  guint n = takes_project_get_n_shots (self->project);

  g_string_append_printf (sig, "%dx%d@%d/%d;", self->width, self->height, self->fps_n, self->fps_d);

  for (guint i = 0; i < n; i++)
    {
      TakesShot *shot = takes_project_get_shot (self->project, i);
      g_autofree char *problem = NULL;
      g_autofree char *uri = dup_take_uri (self, shot, &problem);
      g_autofree char *title = takes_shot_dup_display_title (shot);
      TakesTake *take = takes_shot_get_picked_take (shot);

      g_string_append_printf (sig, "shot %s|%s|%s|%g|%g|%g|%d|%g|%d|%g|%s\n",
                              takes_shot_get_id (shot),
                              uri != NULL ? uri : "-",
                              problem != NULL ? problem : "-",
                              takes_shot_get_duration (shot),
                              takes_shot_get_trim_in (shot),
                              takes_shot_get_trim_out (shot),
                              takes_shot_get_transition (shot),
                              takes_shot_get_transition_duration (shot),
                              takes_shot_get_fit (shot),
                              take != NULL ? takes_take_get_duration (take) : 0.0,
                              title);
    }

  for (guint i = 0; i < g_list_model_get_n_items (soundtrack); i++)
    {
      g_autoptr(TakesSoundtrackClip) clip = g_list_model_get_item (soundtrack, i);
      g_autofree char *uri = dup_soundtrack_uri (self, clip);

      g_string_append_printf (sig, "audio %s|%g|%g|%g|%g\n",
                              uri != NULL ? uri : "-",
                              takes_soundtrack_clip_get_start (clip),
                              takes_soundtrack_clip_get_inpoint (clip),
                              takes_soundtrack_clip_get_duration (clip),
                              takes_soundtrack_clip_get_volume (clip));
    }

  return g_string_free (sig, FALSE);
}

static void
set_meta_string (GESClip    *clip,
                 const char *key,
                 const char *value)
{
  ges_meta_container_set_string (GES_META_CONTAINER (clip), key, value != NULL ? value : "");
}

static gint64
take_seed (TakesShot *shot,
           TakesTake *take)
{
  JsonObject *request = take != NULL ? takes_take_get_request (take) : NULL;

  /* The seed actually sent; the shot's may be -1 ("any") */
  if (request != NULL && json_object_has_member (request, "seed"))
    {
      JsonNode *node = json_object_get_member (request, "seed");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        return json_node_get_int (node);
    }

  return takes_shot_get_seed (shot);
}

static void
apply_metadata (TakesTimeline *self)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      ShotEntry *entry = &g_array_index (self->entries, ShotEntry, i);
      TakesTake *take = entry->placeholder ? NULL : takes_shot_get_picked_take (entry->shot);
      g_autofree char *title = takes_shot_dup_display_title (entry->shot);

      if (entry->clip == NULL)
        continue;

      set_meta_string (entry->clip, TAKES_TIMELINE_META_SHOT_ID, takes_shot_get_id (entry->shot));
      ges_meta_container_set_uint (GES_META_CONTAINER (entry->clip),
                                   TAKES_TIMELINE_META_SHOT_NUMBER, i + 1);
      set_meta_string (entry->clip, TAKES_TIMELINE_META_TITLE, title);
      set_meta_string (entry->clip, TAKES_TIMELINE_META_PROMPT, takes_shot_get_prompt (entry->shot));
      set_meta_string (entry->clip, TAKES_TIMELINE_META_NEGATIVE_PROMPT,
                       takes_shot_get_negative_prompt (entry->shot));
      ges_meta_container_set_int64 (GES_META_CONTAINER (entry->clip), TAKES_TIMELINE_META_SEED,
                                    take_seed (entry->shot, take));
      if (take != NULL)
        {
          set_meta_string (entry->clip, TAKES_TIMELINE_META_BACKEND, takes_take_get_backend (take));
          set_meta_string (entry->clip, TAKES_TIMELINE_META_MODEL, takes_take_get_model (take));
          set_meta_string (entry->clip, TAKES_TIMELINE_META_TAKE_ID, takes_take_get_id (take));
          set_meta_string (entry->clip, TAKES_TIMELINE_META_REMOTE_ID, takes_take_get_remote_id (take));
        }
    }
}

static gboolean
asset_video_size (GESAsset *asset,
                  int      *width,
                  int      *height)
{
  GstDiscovererInfo *info = ges_uri_clip_asset_get_info (GES_URI_CLIP_ASSET (asset));
  g_autoptr(GList) streams = NULL;
  GstDiscovererVideoInfo *video;
  guint par_n, par_d;

  if (info == NULL)
    return FALSE;

  streams = gst_discoverer_info_get_video_streams (info);
  if (streams == NULL)
    return FALSE;

  video = streams->data;
  *width = (int) gst_discoverer_video_info_get_width (video);
  *height = (int) gst_discoverer_video_info_get_height (video);
  par_n = gst_discoverer_video_info_get_par_num (video);
  par_d = gst_discoverer_video_info_get_par_denom (video);
  if (par_n > 0 && par_d > 0 && par_n != par_d)
    *width = (int) gst_util_uint64_scale_int (*width, par_n, par_d);

  gst_discoverer_stream_info_list_free (g_steal_pointer (&streams));

  return *width > 0 && *height > 0;
}

static gboolean
asset_has_stream (GESAsset *asset,
                  gboolean  video)
{
  GstDiscovererInfo *info = ges_uri_clip_asset_get_info (GES_URI_CLIP_ASSET (asset));
  GList *streams;
  gboolean found;

  if (info == NULL)
    return FALSE;

  streams = video ? gst_discoverer_info_get_video_streams (info)
                  : gst_discoverer_info_get_audio_streams (info);
  found = streams != NULL;
  gst_discoverer_stream_info_list_free (streams);

  return found;
}

static GESTrackElement *
find_source (GESClip      *clip,
             GESTrackType  type)
{
  GList *elements = ges_clip_find_track_elements (clip, NULL, type, G_TYPE_NONE);
  GESTrackElement *found = NULL;

  for (GList *l = elements; l != NULL; l = l->next)
    {
      if (GES_IS_SOURCE (l->data))
        {
          found = l->data;
          break;
        }
    }

  g_list_free_full (elements, gst_object_unref);

  /* The clip keeps its children */
  return found;
}

static GESClip *
add_placeholder (TakesTimeline *self,
                 GESLayer      *layer,
                 ShotEntry     *entry,
                 guint          number)
{
  GESClip *clip = GES_CLIP (ges_title_clip_new ());
  g_autofree char *title = takes_shot_dup_display_title (entry->shot);
  g_autofree char *escaped = g_markup_escape_text (title, -1);
  g_autofree char *text = NULL;
  GESTrackElement *source;

  ges_timeline_element_set_start (GES_TIMELINE_ELEMENT (clip), entry->start);
  ges_timeline_element_set_duration (GES_TIMELINE_ELEMENT (clip), entry->duration);

  if (!ges_layer_add_clip (layer, clip))
    return NULL;

  /* Translators: the slate shown in the film for a shot without a take;
   * %u is the shot number, %s its title */
  text = g_strdup_printf (_("Shot %u\n%s\n<small>No take yet</small>"), number, escaped);

  source = find_source (clip, GES_TRACK_TYPE_VIDEO);
  if (source != NULL)
    ges_timeline_element_set_child_properties (GES_TIMELINE_ELEMENT (source),
                                               "text", text,
                                               "font-desc", "Sans Bold 20",
                                               "valignment", GES_TEXT_VALIGN_CENTER,
                                               "halignment", GES_TEXT_HALIGN_CENTER,
                                               "color", (guint) 0xffe0e0e0,
                                               "foreground-color", (guint) 0xff202428,
                                               NULL);

  return clip;
}

static GESClip *
add_take_clip (TakesTimeline *self,
               GESLayer      *layer,
               ShotEntry     *entry,
               GESAsset      *asset)
{
  g_autoptr(GError) error = NULL;
  GESClip *clip;
  GESTrackElement *source;
  int src_width = 0, src_height = 0;
  int x, y, width, height;

  clip = ges_layer_add_asset_full (layer, asset, entry->start, entry->inpoint, entry->duration,
                                   GES_TRACK_TYPE_UNKNOWN, &error);
  if (clip == NULL)
    {
      g_warning ("Could not place the clip of shot %s: %s",
                 takes_shot_get_id (entry->shot), error != NULL ? error->message : "?");
      return NULL;
    }

  if (!asset_video_size (asset, &src_width, &src_height))
    return clip;

  takes_timeline_fit_rect (takes_shot_get_fit (entry->shot), src_width, src_height,
                           self->width, self->height, &x, &y, &width, &height);

  source = find_source (clip, GES_TRACK_TYPE_VIDEO);
  if (source != NULL)
    ges_timeline_element_set_child_properties (GES_TIMELINE_ELEMENT (source),
                                               "posx", x,
                                               "posy", y,
                                               "width", width,
                                               "height", height,
                                               NULL);

  return clip;
}

static void
plan_shots (TakesTimeline *self)
{
  guint n = takes_project_get_n_shots (self->project);
  gint64 *frames = g_new0 (gint64, MAX (n, 1));
  gint64 *overlaps = g_new0 (gint64, MAX (n, 1));
  gint64 position = 0;

  g_array_set_size (self->entries, 0);

  for (guint i = 0; i < n; i++)
    {
      TakesShot *shot = takes_project_get_shot (self->project, i);
      ShotEntry entry = { 0, };
      g_autofree char *uri = NULL;
      GESAsset *asset = NULL;

      entry.shot = g_object_ref (shot);
      entry.placeholder = TRUE;

      uri = dup_take_uri (self, shot, &entry.problem);
      if (uri != NULL)
        {
          const char *failure = g_hash_table_lookup (self->failed, uri);

          asset = g_hash_table_lookup (self->assets, uri);
          if (failure != NULL)
            {
              TakesTake *take = takes_shot_get_picked_take (shot);
              g_autoptr(GFile) file = takes_project_resolve (self->project, takes_take_get_media (take));
              g_autofree char *name = g_file_get_parse_name (file);

              entry.problem = g_strdup_printf (_("Media file “%s” could not be read: %s"),
                                               name, failure);
            }
          else if (asset != NULL && !asset_has_stream (asset, TRUE))
            {
              TakesTake *take = takes_shot_get_picked_take (shot);
              g_autoptr(GFile) file = takes_project_resolve (self->project, takes_take_get_media (take));
              g_autofree char *name = g_file_get_parse_name (file);

              entry.problem = g_strdup_printf (_("Media file “%s” has no video"), name);
            }
          else if (asset != NULL)
            {
              TakesTake *take = takes_shot_get_picked_take (shot);
              gint64 available, in_frames, out_frames;

              /* The container's duration counts AAC priming; the video
               * ends on the last whole frame before it. */
              available = time_to_frames_floor (self, ges_uri_clip_asset_get_duration (GES_URI_CLIP_ASSET (asset)));
              if (takes_take_get_duration (take) > 0)
                available = MIN (available, seconds_to_frames_floor (self, takes_take_get_duration (take)));

              in_frames = MIN (seconds_to_frames_round (self, takes_shot_get_trim_in (shot)),
                               MAX (available - 1, 0));
              out_frames = takes_shot_get_trim_out (shot) > 0
                ? MIN (seconds_to_frames_floor (self, takes_shot_get_trim_out (shot)), available)
                : available;

              if (out_frames > in_frames)
                {
                  entry.placeholder = FALSE;
                  entry.inpoint = takes_timeline_frame_to_time (self, in_frames);
                  frames[i] = out_frames - in_frames;
                }
            }
        }

      if (entry.placeholder)
        frames[i] = MAX (seconds_to_frames_round (self, takes_shot_get_duration (shot)), 1);

      g_array_append_val (self->entries, entry);
    }

  /* At most two clips may overlap at any instant: each crossfade takes
   * at most half of either neighbour. */
  for (guint i = 0; i + 1 < n; i++)
    {
      TakesShot *shot = takes_project_get_shot (self->project, i);
      gint64 limit;

      if (takes_shot_get_transition (shot) != TAKES_TRANSITION_CROSSFADE)
        continue;

      limit = MIN (frames[i], frames[i + 1]) / 2;
      overlaps[i] = CLAMP (seconds_to_frames_round (self, takes_shot_get_transition_duration (shot)),
                           0, MAX (limit, 0));
    }

  for (guint i = 0; i < n; i++)
    {
      ShotEntry *entry = &g_array_index (self->entries, ShotEntry, i);

      entry->start = takes_timeline_frame_to_time (self, position);
      entry->duration = takes_timeline_frame_to_time (self, position + frames[i]) - entry->start;
      entry->overlap_next = 0;
      if (overlaps[i] > 0)
        entry->overlap_next = takes_timeline_frame_to_time (self, position + frames[i]) -
                              takes_timeline_frame_to_time (self, position + frames[i] - overlaps[i]);

      position += frames[i] - overlaps[i];
    }

  self->duration = takes_timeline_frame_to_time (self, position);

  g_free (frames);
  g_free (overlaps);
}

static void
add_soundtrack (TakesTimeline *self)
{
  GListModel *soundtrack = takes_project_get_soundtrack (self->project);
  guint n = g_list_model_get_n_items (soundtrack);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TakesSoundtrackClip) item = g_list_model_get_item (soundtrack, i);
      g_autofree char *uri = dup_soundtrack_uri (self, item);
      g_autoptr(GError) error = NULL;
      GESAsset *asset;
      GESLayer *layer;
      GESClip *clip;
      GESTrackElement *source;
      GstClockTime start, inpoint, available, duration;

      if (uri == NULL)
        continue;

      asset = g_hash_table_lookup (self->assets, uri);
      if (asset == NULL || !asset_has_stream (asset, FALSE))
        continue;

      start = takes_timeline_frame_to_time (self, seconds_to_frames_round (self, takes_soundtrack_clip_get_start (item)));
      if (start >= self->duration)
        continue;

      inpoint = (GstClockTime) (takes_soundtrack_clip_get_inpoint (item) * GST_SECOND);
      available = ges_uri_clip_asset_get_duration (GES_URI_CLIP_ASSET (asset));
      if (!GST_CLOCK_TIME_IS_VALID (available) || inpoint >= available)
        continue;

      duration = available - inpoint;
      if (takes_soundtrack_clip_get_duration (item) > 0)
        duration = MIN (duration, (GstClockTime) (takes_soundtrack_clip_get_duration (item) * GST_SECOND));
      /* Music longer than the film would add black at the end */
      duration = MIN (duration, self->duration - start);
      duration = takes_timeline_frame_to_time (self, time_to_frames_floor (self, duration));
      if (duration == 0)
        continue;

      /* One layer each: soundtrack clips may overlap freely, and audio of
       * all layers is mixed. */
      layer = ges_timeline_append_layer (self->timeline);
      ges_layer_set_auto_transition (layer, FALSE);

      clip = ges_layer_add_asset_full (layer, asset, start, inpoint, duration,
                                       GES_TRACK_TYPE_AUDIO, &error);
      if (clip == NULL)
        {
          g_warning ("Could not place soundtrack clip %s: %s",
                     takes_soundtrack_clip_get_id (item), error != NULL ? error->message : "?");
          continue;
        }

      ges_meta_container_set_string (GES_META_CONTAINER (clip), "takes-soundtrack-id",
                                     takes_soundtrack_clip_get_id (item));

      source = find_source (clip, GES_TRACK_TYPE_AUDIO);
      if (source != NULL)
        ges_timeline_element_set_child_properties (GES_TIMELINE_ELEMENT (source),
                                                   "volume", takes_soundtrack_clip_get_volume (item),
                                                   NULL);
    }
}

static void
rebuild (TakesTimeline *self)
{
  GList *layers;
  GESLayer *video_layer;

  ges_timeline_freeze_commit (self->timeline);

  layers = ges_timeline_get_layers (self->timeline);
  for (GList *l = layers; l != NULL; l = l->next)
    ges_timeline_remove_layer (self->timeline, l->data);
  g_list_free_full (layers, gst_object_unref);

  apply_restriction_caps (self);
  plan_shots (self);

  video_layer = ges_timeline_append_layer (self->timeline);
  ges_layer_set_auto_transition (video_layer, TRUE);

  for (guint i = 0; i < self->entries->len; i++)
    {
      ShotEntry *entry = &g_array_index (self->entries, ShotEntry, i);

      if (!entry->placeholder)
        {
          g_autofree char *problem = NULL;
          g_autofree char *uri = dup_take_uri (self, entry->shot, &problem);
          GESAsset *asset = uri != NULL ? g_hash_table_lookup (self->assets, uri) : NULL;

          entry->clip = asset != NULL ? add_take_clip (self, video_layer, entry, asset) : NULL;
        }

      if (entry->clip == NULL)
        {
          entry->placeholder = TRUE;
          entry->inpoint = 0;
          entry->clip = add_placeholder (self, video_layer, entry, i + 1);
        }
    }

  add_soundtrack (self);
  apply_metadata (self);

  ges_timeline_thaw_commit (self->timeline);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION]);
  g_signal_emit (self, signals[UPDATED], 0);
}

static void
finish_update (TakesTimeline *self)
{
  g_autofree char *signature = compute_signature (self);
  GList *waiting;

  if (g_strcmp0 (signature, self->signature) != 0)
    {
      g_free (self->signature);
      self->signature = g_steal_pointer (&signature);
      rebuild (self);
    }
  else
    {
      /* Only texts changed: no need to disturb playback */
      apply_metadata (self);
    }

  waiting = g_steal_pointer (&self->waiting);
  for (GList *l = waiting; l != NULL; l = l->next)
    {
      GTask *task = l->data;

      if (!g_task_return_error_if_cancelled (task))
        g_task_return_boolean (task, TRUE);
    }
  g_list_free_full (waiting, g_object_unref);
}

typedef struct
{
  TakesTimeline *self;
  char          *uri;
} AssetRequest;

static void
on_asset_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AssetRequest *request = user_data;
  g_autoptr(TakesTimeline) self = request->self;
  g_autofree char *uri = request->uri;
  g_autoptr(GError) error = NULL;
  g_autoptr(GESAsset) asset = NULL;

  g_free (request);

  asset = ges_asset_request_finish (result, &error);

  g_hash_table_remove (self->requesting, uri);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      g_cancellable_is_cancelled (self->cancellable))
    return;

  if (asset != NULL)
    g_hash_table_replace (self->assets, g_strdup (uri), g_steal_pointer (&asset));
  else
    g_hash_table_replace (self->failed, g_strdup (uri),
                          g_strdup (error != NULL ? error->message : _("Unknown error")));

  if (g_hash_table_size (self->requesting) == 0)
    start_update (self);
}

static void
request_asset (TakesTimeline *self,
               const char    *uri)
{
  AssetRequest *request;

  if (uri == NULL ||
      g_hash_table_contains (self->assets, uri) ||
      g_hash_table_contains (self->failed, uri) ||
      g_hash_table_contains (self->requesting, uri))
    return;

  request = g_new0 (AssetRequest, 1);
  request->self = g_object_ref (self);
  request->uri = g_strdup (uri);
  g_hash_table_add (self->requesting, g_strdup (uri));

  ges_asset_request_async (GES_TYPE_URI_CLIP, uri, self->cancellable, on_asset_ready, request);
}

static void
start_update (TakesTimeline *self)
{
  GListModel *soundtrack = takes_project_get_soundtrack (self->project);
  guint n = takes_project_get_n_shots (self->project);

  update_format (self);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *problem = NULL;
      g_autofree char *uri = dup_take_uri (self, takes_project_get_shot (self->project, i), &problem);

      request_asset (self, uri);
    }

  for (guint i = 0; i < g_list_model_get_n_items (soundtrack); i++)
    {
      g_autoptr(TakesSoundtrackClip) clip = g_list_model_get_item (soundtrack, i);
      g_autofree char *uri = dup_soundtrack_uri (self, clip);

      request_asset (self, uri);
    }

  /* Discovery finishing calls back here; build once all are in. */
  if (g_hash_table_size (self->requesting) == 0)
    finish_update (self);
}

static gboolean
on_idle_update (gpointer user_data)
{
  TakesTimeline *self = user_data;

  self->idle_id = 0;
  if (g_hash_table_size (self->requesting) == 0)
    start_update (self);

  return G_SOURCE_REMOVE;
}

static void
on_project_changed (TakesProject  *project,
                    TakesTimeline *self)
{
  if (!self->follow_changes || self->idle_id != 0)
    return;

  /* One update for a burst of edits (typing, a loaded file) */
  self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, on_idle_update, self, NULL);
}

static void
takes_timeline_dispose (GObject *object)
{
  TakesTimeline *self = (TakesTimeline *) object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->idle_id, g_source_remove);

  if (self->project != NULL)
    g_signal_handlers_disconnect_by_func (self->project, on_project_changed, self);

  if (self->entries != NULL)
    g_array_set_size (self->entries, 0);

  g_clear_object (&self->project);
  g_clear_pointer (&self->timeline, gst_object_unref);
  g_clear_pointer (&self->assets, g_hash_table_unref);

  G_OBJECT_CLASS (takes_timeline_parent_class)->dispose (object);
}

static void
takes_timeline_finalize (GObject *object)
{
  TakesTimeline *self = (TakesTimeline *) object;

  g_clear_pointer (&self->entries, g_array_unref);
  g_clear_pointer (&self->failed, g_hash_table_unref);
  g_clear_pointer (&self->requesting, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_free (self->signature);
  g_list_free_full (self->waiting, g_object_unref);

  G_OBJECT_CLASS (takes_timeline_parent_class)->finalize (object);
}

static void
takes_timeline_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TakesTimeline *self = TAKES_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      g_value_set_object (value, self->project);
      break;
    case PROP_FOLLOW_CHANGES:
      g_value_set_boolean (value, self->follow_changes);
      break;
    case PROP_DURATION:
      g_value_set_uint64 (value, self->duration);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_timeline_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TakesTimeline *self = TAKES_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_PROJECT:
      self->project = g_value_dup_object (value);
      break;
    case PROP_FOLLOW_CHANGES:
      takes_timeline_set_follow_changes (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
takes_timeline_constructed (GObject *object)
{
  TakesTimeline *self = (TakesTimeline *) object;
  GList *tracks;

  G_OBJECT_CLASS (takes_timeline_parent_class)->constructed (object);

  g_return_if_fail (TAKES_IS_PROJECT (self->project));

  self->timeline = gst_object_ref_sink (ges_timeline_new_audio_video ());
  ges_timeline_set_auto_transition (self->timeline, TRUE);

  tracks = ges_timeline_get_tracks (self->timeline);
  for (GList *l = tracks; l != NULL; l = l->next)
    {
      if (GES_IS_VIDEO_TRACK (l->data))
        self->video_track = l->data;
      else if (GES_IS_AUDIO_TRACK (l->data))
        self->audio_track = l->data;
    }
  g_list_free_full (tracks, gst_object_unref);

  update_format (self);
  apply_restriction_caps (self);

  g_signal_connect (self->project, "changed", G_CALLBACK (on_project_changed), self);
}

static void
takes_timeline_class_init (TakesTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = takes_timeline_dispose;
  object_class->finalize = takes_timeline_finalize;
  object_class->get_property = takes_timeline_get_property;
  object_class->set_property = takes_timeline_set_property;
  object_class->constructed = takes_timeline_constructed;

  properties[PROP_PROJECT] =
    g_param_spec_object ("project", NULL, NULL, TAKES_TYPE_PROJECT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOW_CHANGES] =
    g_param_spec_boolean ("follow-changes", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DURATION] =
    g_param_spec_uint64 ("duration", NULL, NULL, 0, G_MAXUINT64, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[UPDATED] = g_signal_new ("updated",
                                   G_TYPE_FROM_CLASS (klass),
                                   G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
}

static void
takes_timeline_init (TakesTimeline *self)
{
  self->assets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, gst_object_unref);
  self->failed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->requesting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->entries = g_array_new (FALSE, TRUE, sizeof (ShotEntry));
  g_array_set_clear_func (self->entries, shot_entry_clear);
  self->cancellable = g_cancellable_new ();
  self->follow_changes = TRUE;
  self->fps_n = 24;
  self->fps_d = 1;
}

TakesTimeline *
takes_timeline_new (TakesProject *project)
{
  g_return_val_if_fail (TAKES_IS_PROJECT (project), NULL);

  gst_init (NULL, NULL);
  ges_init ();

  return g_object_new (TAKES_TYPE_TIMELINE, "project", project, NULL);
}

TakesProject *
takes_timeline_get_project (TakesTimeline *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), NULL);

  return self->project;
}

GESTimeline *
takes_timeline_get_ges_timeline (TakesTimeline *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), NULL);

  return self->timeline;
}

void
takes_timeline_set_format (TakesTimeline *self,
                           int            width,
                           int            height,
                           double         fps)
{
  g_return_if_fail (TAKES_IS_TIMELINE (self));
  g_return_if_fail (width >= 0 && height >= 0);
  g_return_if_fail (isfinite (fps) && fps >= 0);

  self->width_override = width;
  self->height_override = height;
  self->fps_override = fps;
  update_format (self);
}

int
takes_timeline_get_width (TakesTimeline *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), 0);

  return self->width;
}

int
takes_timeline_get_height (TakesTimeline *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), 0);

  return self->height;
}

void
takes_timeline_get_framerate (TakesTimeline *self,
                              int           *fps_n,
                              int           *fps_d)
{
  g_return_if_fail (TAKES_IS_TIMELINE (self));

  if (fps_n != NULL)
    *fps_n = self->fps_n;
  if (fps_d != NULL)
    *fps_d = self->fps_d;
}

gboolean
takes_timeline_get_follow_changes (TakesTimeline *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), FALSE);

  return self->follow_changes;
}

void
takes_timeline_set_follow_changes (TakesTimeline *self,
                                   gboolean       follow_changes)
{
  g_return_if_fail (TAKES_IS_TIMELINE (self));

  follow_changes = !!follow_changes;
  if (self->follow_changes == follow_changes)
    return;

  self->follow_changes = follow_changes;
  if (!follow_changes)
    g_clear_handle_id (&self->idle_id, g_source_remove);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOW_CHANGES]);
}

void
takes_timeline_update_async (TakesTimeline       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (TAKES_IS_TIMELINE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, takes_timeline_update_async);

  /* An explicit update replaces a scheduled one */
  g_clear_handle_id (&self->idle_id, g_source_remove);
  /* Force a rebuild: the caller may have changed the format */
  g_clear_pointer (&self->signature, g_free);

  self->waiting = g_list_append (self->waiting, g_steal_pointer (&task));

  if (g_hash_table_size (self->requesting) == 0)
    start_update (self);
}

gboolean
takes_timeline_update_finish (TakesTimeline  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
takes_timeline_is_updating (TakesTimeline *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), FALSE);

  return self->idle_id != 0 || g_hash_table_size (self->requesting) > 0;
}

GstClockTime
takes_timeline_get_duration (TakesTimeline *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), 0);

  return self->duration;
}

guint
takes_timeline_get_n_shots (TakesTimeline *self)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), 0);

  return self->entries->len;
}

static ShotEntry *
get_entry (TakesTimeline *self,
           guint          position)
{
  if (position >= self->entries->len)
    return NULL;

  return &g_array_index (self->entries, ShotEntry, position);
}

TakesShot *
takes_timeline_get_shot (TakesTimeline *self,
                         guint          position)
{
  ShotEntry *entry;

  g_return_val_if_fail (TAKES_IS_TIMELINE (self), NULL);

  entry = get_entry (self, position);

  return entry != NULL ? entry->shot : NULL;
}

gboolean
takes_timeline_get_shot_range (TakesTimeline *self,
                               guint          position,
                               GstClockTime  *start,
                               GstClockTime  *duration,
                               GstClockTime  *inpoint)
{
  ShotEntry *entry;

  g_return_val_if_fail (TAKES_IS_TIMELINE (self), FALSE);

  entry = get_entry (self, position);
  if (entry == NULL)
    return FALSE;

  if (start != NULL)
    *start = entry->start;
  if (duration != NULL)
    *duration = entry->duration;
  if (inpoint != NULL)
    *inpoint = entry->inpoint;

  return TRUE;
}

GstClockTime
takes_timeline_get_shot_start (TakesTimeline *self,
                               TakesShot     *shot)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), GST_CLOCK_TIME_NONE);

  for (guint i = 0; i < self->entries->len; i++)
    {
      ShotEntry *entry = get_entry (self, i);

      if (entry->shot == shot)
        return entry->start;
    }

  return GST_CLOCK_TIME_NONE;
}

GstClockTime
takes_timeline_get_shot_overlap (TakesTimeline *self,
                                 guint          position)
{
  ShotEntry *entry;

  g_return_val_if_fail (TAKES_IS_TIMELINE (self), 0);

  entry = get_entry (self, position);

  return entry != NULL ? entry->overlap_next : 0;
}

GESClip *
takes_timeline_get_shot_clip (TakesTimeline *self,
                              guint          position)
{
  ShotEntry *entry;

  g_return_val_if_fail (TAKES_IS_TIMELINE (self), NULL);

  entry = get_entry (self, position);

  return entry != NULL ? entry->clip : NULL;
}

gboolean
takes_timeline_shot_is_placeholder (TakesTimeline *self,
                                    guint          position)
{
  ShotEntry *entry;

  g_return_val_if_fail (TAKES_IS_TIMELINE (self), FALSE);

  entry = get_entry (self, position);

  return entry != NULL && entry->placeholder;
}

const char *
takes_timeline_get_shot_problem (TakesTimeline *self,
                                 guint          position)
{
  ShotEntry *entry;

  g_return_val_if_fail (TAKES_IS_TIMELINE (self), NULL);

  entry = get_entry (self, position);

  return entry != NULL ? entry->problem : NULL;
}

int
takes_timeline_get_shot_at (TakesTimeline *self,
                            GstClockTime   time)
{
  g_return_val_if_fail (TAKES_IS_TIMELINE (self), -1);

  if (!GST_CLOCK_TIME_IS_VALID (time) || time >= self->duration)
    return -1;

  for (guint i = self->entries->len; i > 0; i--)
    {
      ShotEntry *entry = get_entry (self, i - 1);

      if (time >= entry->start)
        return (int) i - 1;
    }

  return -1;
}
