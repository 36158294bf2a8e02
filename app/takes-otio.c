/* takes-otio.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-otio"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/pbutils/pbutils.h>
#include <json-glib/json-glib.h>

#include "takes-otio.h"

typedef struct
{
  TakesTimeline *timeline;
  JsonBuilder   *builder;
  double         rate;
} Writer;

static gint64
to_frames (Writer       *w,
           GstClockTime  time)
{
  int fps_n, fps_d;

  if (!GST_CLOCK_TIME_IS_VALID (time))
    return 0;

  takes_timeline_get_framerate (w->timeline, &fps_n, &fps_d);

  return (gint64) gst_util_uint64_scale_round (time, fps_n, (guint64) GST_SECOND * fps_d);
}

static void
add_rational_time (Writer     *w,
                   const char *member,
                   gint64      frames)
{
  json_builder_set_member_name (w->builder, member);
  json_builder_begin_object (w->builder);
  json_builder_set_member_name (w->builder, "OTIO_SCHEMA");
  json_builder_add_string_value (w->builder, "RationalTime.1");
  json_builder_set_member_name (w->builder, "rate");
  json_builder_add_double_value (w->builder, w->rate);
  json_builder_set_member_name (w->builder, "value");
  json_builder_add_double_value (w->builder, (double) frames);
  json_builder_end_object (w->builder);
}

static void
add_time_range (Writer     *w,
                const char *member,
                gint64      start,
                gint64      duration)
{
  json_builder_set_member_name (w->builder, member);
  json_builder_begin_object (w->builder);
  json_builder_set_member_name (w->builder, "OTIO_SCHEMA");
  json_builder_add_string_value (w->builder, "TimeRange.1");
  add_rational_time (w, "start_time", start);
  add_rational_time (w, "duration", duration);
  json_builder_end_object (w->builder);
}

static void
add_string (Writer     *w,
            const char *member,
            const char *value)
{
  json_builder_set_member_name (w->builder, member);
  if (value != NULL)
    json_builder_add_string_value (w->builder, value);
  else
    json_builder_add_null_value (w->builder);
}

/* The members every Composable/Item has, empty */
static void
add_item_defaults (Writer *w)
{
  json_builder_set_member_name (w->builder, "effects");
  json_builder_begin_array (w->builder);
  json_builder_end_array (w->builder);
  json_builder_set_member_name (w->builder, "markers");
  json_builder_begin_array (w->builder);
  json_builder_end_array (w->builder);
  json_builder_set_member_name (w->builder, "enabled");
  json_builder_add_boolean_value (w->builder, TRUE);
}

static void
add_empty_metadata (Writer *w)
{
  json_builder_set_member_name (w->builder, "metadata");
  json_builder_begin_object (w->builder);
  json_builder_end_object (w->builder);
}

static void
add_provenance (Writer    *w,
                TakesShot *shot,
                guint      number,
                TakesTake *take)
{
  g_autofree char *title = takes_shot_dup_display_title (shot);
  JsonObject *request = take != NULL ? takes_take_get_request (take) : NULL;
  gint64 seed = takes_shot_get_seed (shot);
  double cost = -1;

  if (request != NULL && json_object_has_member (request, "seed"))
    {
      JsonNode *node = json_object_get_member (request, "seed");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64)
        seed = json_node_get_int (node);
    }

  if (take != NULL)
    cost = takes_take_get_cost_actual (take) >= 0 ? takes_take_get_cost_actual (take)
                                                  : takes_take_get_cost_estimate (take);

  json_builder_set_member_name (w->builder, "metadata");
  json_builder_begin_object (w->builder);
  json_builder_set_member_name (w->builder, "takes");
  json_builder_begin_object (w->builder);

  add_string (w, "shot_id", takes_shot_get_id (shot));
  json_builder_set_member_name (w->builder, "shot_number");
  json_builder_add_int_value (w->builder, number);
  add_string (w, "title", title);
  add_string (w, "prompt", takes_shot_get_prompt (shot));
  add_string (w, "negative_prompt", takes_shot_get_negative_prompt (shot));
  add_string (w, "backend", take != NULL ? takes_take_get_backend (take) : NULL);
  add_string (w, "model", take != NULL ? takes_take_get_model (take) : NULL);
  json_builder_set_member_name (w->builder, "seed");
  if (seed >= 0)
    json_builder_add_int_value (w->builder, seed);
  else
    json_builder_add_null_value (w->builder);
  add_string (w, "take_id", take != NULL ? takes_take_get_id (take) : NULL);
  add_string (w, "remote_id", take != NULL ? takes_take_get_remote_id (take) : NULL);
  json_builder_set_member_name (w->builder, "cost");
  if (cost >= 0)
    json_builder_add_double_value (w->builder, cost);
  else
    json_builder_add_null_value (w->builder);

  json_builder_end_object (w->builder);
  json_builder_end_object (w->builder);
}

static void
add_gap (Writer     *w,
         const char *name,
         gint64      frames)
{
  json_builder_begin_object (w->builder);
  add_string (w, "OTIO_SCHEMA", "Gap.1");
  add_string (w, "name", name != NULL ? name : "");
  add_empty_metadata (w);
  add_time_range (w, "source_range", 0, frames);
  add_item_defaults (w);
  json_builder_end_object (w->builder);
}

static void
add_transition (Writer *w,
                gint64  in_offset,
                gint64  out_offset)
{
  json_builder_begin_object (w->builder);
  add_string (w, "OTIO_SCHEMA", "Transition.1");
  add_string (w, "name", "Crossfade");
  add_empty_metadata (w);
  add_string (w, "transition_type", "SMPTE_Dissolve");
  add_rational_time (w, "in_offset", in_offset);
  add_rational_time (w, "out_offset", out_offset);
  json_builder_end_object (w->builder);
}

static void
add_media_reference (Writer   *w,
                     GESClip  *clip)
{
  const char *uri = ges_uri_clip_get_uri (GES_URI_CLIP (clip));
  GESAsset *asset = ges_extractable_get_asset (GES_EXTRACTABLE (clip));
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autofree char *name = g_file_get_basename (file);
  GstClockTime available = ges_uri_clip_asset_get_duration (GES_URI_CLIP_ASSET (asset));

  json_builder_set_member_name (w->builder, "media_reference");
  json_builder_begin_object (w->builder);
  add_string (w, "OTIO_SCHEMA", "ExternalReference.1");
  add_string (w, "name", name);
  add_empty_metadata (w);
  add_string (w, "target_url", uri);
  /* Whole frames: the AAC priming of the container is not picture */
  add_time_range (w, "available_range", 0,
                  takes_timeline_time_to_frame (w->timeline, available));
  json_builder_set_member_name (w->builder, "available_image_bounds");
  json_builder_add_null_value (w->builder);
  json_builder_end_object (w->builder);
}

static gboolean
clip_has_audio (GESClip *clip)
{
  GESAsset *asset;
  GstDiscovererInfo *info;
  GList *streams;
  gboolean found;

  if (!GES_IS_URI_CLIP (clip))
    return FALSE;

  asset = ges_extractable_get_asset (GES_EXTRACTABLE (clip));
  info = ges_uri_clip_asset_get_info (GES_URI_CLIP_ASSET (asset));
  if (info == NULL)
    return FALSE;

  streams = gst_discoverer_info_get_audio_streams (info);
  found = streams != NULL;
  gst_discoverer_stream_info_list_free (streams);

  return found;
}

static void
begin_track (Writer     *w,
             const char *name,
             const char *kind)
{
  json_builder_begin_object (w->builder);
  add_string (w, "OTIO_SCHEMA", "Track.1");
  add_string (w, "name", name);
  add_empty_metadata (w);
  json_builder_set_member_name (w->builder, "source_range");
  json_builder_add_null_value (w->builder);
  add_item_defaults (w);
  add_string (w, "kind", kind);
  json_builder_set_member_name (w->builder, "children");
  json_builder_begin_array (w->builder);
}

static void
end_track (Writer *w)
{
  json_builder_end_array (w->builder);
  json_builder_end_object (w->builder);
}

/* Crossfades are overlaps in GES; in OTIO the clips meet at a cut inside
 * the overlap and the transition reaches in_offset before and out_offset
 * after it, using the media beyond each clip's range. */
static void
add_shots_track (Writer   *w,
                 gboolean  audio)
{
  guint n = takes_timeline_get_n_shots (w->timeline);
  gint64 previous_in = 0;

  begin_track (w, audio ? _("Shot Sound") : _("Shots"), audio ? "Audio" : "Video");

  for (guint i = 0; i < n; i++)
    {
      TakesShot *shot = takes_timeline_get_shot (w->timeline, i);
      GESClip *clip = takes_timeline_get_shot_clip (w->timeline, i);
      gboolean placeholder = takes_timeline_shot_is_placeholder (w->timeline, i);
      GstClockTime start, duration, inpoint;
      gint64 overlap, in_offset, out_offset, frames, first;
      g_autofree char *title = takes_shot_dup_display_title (shot);

      takes_timeline_get_shot_range (w->timeline, i, &start, &duration, &inpoint);
      overlap = to_frames (w, takes_timeline_get_shot_overlap (w->timeline, i));
      in_offset = overlap / 2;
      out_offset = overlap - in_offset;
      frames = to_frames (w, start + duration) - to_frames (w, start) - previous_in - out_offset;
      first = to_frames (w, inpoint) + previous_in;

      if (placeholder || (audio && !clip_has_audio (clip)))
        {
          add_gap (w, title, frames);
        }
      else
        {
          json_builder_begin_object (w->builder);
          add_string (w, "OTIO_SCHEMA", "Clip.1");
          add_string (w, "name", title);
          add_provenance (w, shot, i + 1, takes_shot_get_picked_take (shot));
          add_time_range (w, "source_range", first, frames);
          add_media_reference (w, clip);
          add_item_defaults (w);
          json_builder_end_object (w->builder);
        }

      if (overlap > 0)
        add_transition (w, in_offset, out_offset);

      previous_in = in_offset;
    }

  end_track (w);
}

static void
add_soundtrack_tracks (Writer *w)
{
  GList *layers = ges_timeline_get_layers (takes_timeline_get_ges_timeline (w->timeline));
  guint index = 0;

  /* Layer 0 holds the shots; each soundtrack clip has a layer below */
  for (GList *l = layers != NULL ? layers->next : NULL; l != NULL; l = l->next)
    {
      GList *clips = ges_layer_get_clips (l->data);

      for (GList *c = clips; c != NULL; c = c->next)
        {
          GESTimelineElement *element = c->data;
          GESClip *clip = c->data;
          g_autofree char *name = NULL;
          g_autoptr(GFile) file = NULL;
          gint64 start;

          if (!GES_IS_URI_CLIP (clip))
            continue;

          file = g_file_new_for_uri (ges_uri_clip_get_uri (GES_URI_CLIP (clip)));
          name = g_file_get_basename (file);
          start = to_frames (w, ges_timeline_element_get_start (element));

          index++;
          {
            /* Translators: an audio track name in the exported .otio file */
            g_autofree char *track = g_strdup_printf (_("Soundtrack %u"), index);

            begin_track (w, track, "Audio");
          }

          if (start > 0)
            add_gap (w, NULL, start);

          json_builder_begin_object (w->builder);
          add_string (w, "OTIO_SCHEMA", "Clip.1");
          add_string (w, "name", name);
          add_empty_metadata (w);
          add_time_range (w, "source_range",
                          to_frames (w, ges_timeline_element_get_inpoint (element)),
                          to_frames (w, ges_timeline_element_get_start (element) +
                                        ges_timeline_element_get_duration (element)) - start);
          add_media_reference (w, clip);
          add_item_defaults (w);
          json_builder_end_object (w->builder);

          end_track (w);
        }

      g_list_free_full (clips, gst_object_unref);
    }

  g_list_free_full (layers, gst_object_unref);
}

char *
takes_otio_to_data (TakesTimeline *timeline,
                    gsize         *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  TakesProject *project;
  Writer w = { timeline, builder, 0 };
  int fps_n, fps_d;

  g_return_val_if_fail (TAKES_IS_TIMELINE (timeline), NULL);

  project = takes_timeline_get_project (timeline);
  takes_timeline_get_framerate (timeline, &fps_n, &fps_d);
  w.rate = (double) fps_n / fps_d;

  json_builder_begin_object (builder);
  add_string (&w, "OTIO_SCHEMA", "Timeline.1");
  add_string (&w, "name", takes_project_get_title (project));

  json_builder_set_member_name (builder, "metadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "takes");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, takes_timeline_get_width (timeline));
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, takes_timeline_get_height (timeline));
  json_builder_set_member_name (builder, "fps");
  json_builder_add_double_value (builder, w.rate);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  add_rational_time (&w, "global_start_time", 0);

  json_builder_set_member_name (builder, "tracks");
  json_builder_begin_object (builder);
  add_string (&w, "OTIO_SCHEMA", "Stack.1");
  add_string (&w, "name", "tracks");
  add_empty_metadata (&w);
  json_builder_set_member_name (builder, "source_range");
  json_builder_add_null_value (builder);
  add_item_defaults (&w);
  json_builder_set_member_name (builder, "children");
  json_builder_begin_array (builder);
  add_shots_track (&w, FALSE);
  add_shots_track (&w, TRUE);
  add_soundtrack_tracks (&w);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);

  return json_generator_to_data (generator, length);
}

gboolean
takes_otio_write (TakesTimeline  *timeline,
                  GFile          *file,
                  GError        **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  g_return_val_if_fail (TAKES_IS_TIMELINE (timeline), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  data = takes_otio_to_data (timeline, &length);

  /* Replacing writes a temporary file and renames it */
  if (!g_file_replace_contents (file, data, length, NULL, FALSE,
                                G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL, error))
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_prefix_error (error, _("“%s” could not be written: "), name);
      return FALSE;
    }

  return TRUE;
}

gboolean
takes_xges_write (TakesTimeline  *timeline,
                  GFile          *file,
                  GError        **error)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *part = NULL;
  g_autofree char *part_uri = NULL;
  g_autoptr(GError) local_error = NULL;
  GESTimeline *ges_timeline;

  g_return_val_if_fail (TAKES_IS_TIMELINE (timeline), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” could not be written: only local files are supported"), name);
      return FALSE;
    }

  ges_timeline = takes_timeline_get_ges_timeline (timeline);
  ges_meta_container_set_string (GES_META_CONTAINER (ges_timeline), "takes-project-title",
                                 takes_project_get_title (takes_timeline_get_project (timeline)));

  part = g_strconcat (path, ".part", NULL);
  part_uri = g_filename_to_uri (part, NULL, NULL);

  if (!ges_timeline_save_to_uri (ges_timeline, part_uri, NULL, TRUE, &local_error))
    {
      g_unlink (part);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("“%s” could not be written: %s"),
                   name, local_error != NULL ? local_error->message : _("Unknown error"));
      return FALSE;
    }

  if (g_rename (part, path) != 0)
    {
      int saved = errno;

      g_unlink (part);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("“%s” could not be written: %s"), name, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}
