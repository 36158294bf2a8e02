/* takes-demo.c
 *
 * Copyright 2026 The Takes authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "takes-demo"

#include "config.h"

#include <glib/gi18n.h>

#include "takes-demo.h"

typedef struct
{
  const char *title;
  /* Prompts stay in English: it is the language the generators read best. */
  const char *prompt;
  const char *negative_prompt;
  double      duration;
  const char *aspect;
  gint64      seed;
  const char *notes;
} DemoShot;

static const DemoShot demo_shots[] = {
  {
    N_("The Rock at Dusk"),
    "Wide establishing shot of a lone white lighthouse on a black basalt rock in a "
    "stormy North Atlantic sea at dusk. Heavy clouds, the last orange light on the "
    "horizon, waves breaking high against the rock, spray drifting in the wind. "
    "The lamp turns on and its beam sweeps across the frame. Slow push-in from a "
    "drone, cinematic, anamorphic lens, 35mm film grain, muted teal and amber palette.",
    "text, watermark, people, boats, modern buildings, oversaturated colours, cartoon",
    6.0, "16:9", 1207,
    N_("Opening image. Hold long enough for the beam to cross once; music starts on the sweep."),
  },
  {
    N_("Climbing the Stairs"),
    "Interior of the lighthouse tower at night, looking up a narrow spiral iron "
    "staircase. An old keeper in a wool sweater and oilskin coat climbs slowly, "
    "holding a brass oil lamp that throws moving shadows on the whitewashed walls. "
    "Handheld camera following from below, warm lamplight against cold blue moonlight "
    "from the small windows, dust in the air, quiet and patient mood.",
    "fast motion, distorted hands, extra limbs, blurry face, modern clothing, flicker",
    5.0, "16:9", -1,
    N_("He is tired but careful: every step is a habit of forty years."),
  },
  {
    N_("The Logbook"),
    "Extreme close-up of a weathered hand writing in a leather-bound logbook with a "
    "fountain pen on a wooden desk. The entry reads the date, the wind force and the "
    "words 'all lights burning'. Soft light from an oil lamp, shallow depth of field, "
    "ink glistening, the page trembling slightly with the wind through the frame.",
    "illegible scribbles, typed text, ballpoint pen, bright daylight, plastic",
    4.0, "1:1", 88,
    N_("Square insert: crop into the frame later if the cut needs it."),
  },
  {
    N_("A Ship in Trouble"),
    "Point of view from the lantern room through rain-streaked glass: far out on the "
    "dark sea a small fishing trawler fights enormous waves, its deck lights swinging. "
    "The lighthouse beam passes over it every few seconds. Telephoto compression, "
    "heavy rain, lightning on the horizon, tense and cold atmosphere.",
    "calm sea, sunshine, large cruise ship, cartoon, low detail",
    5.0, "16:9", -1,
    N_("The turn of the story. Try several takes: the trawler must read as small but clearly visible."),
  },
  {
    N_("Signal"),
    "Medium shot of the old keeper in the lantern room, lit by the rotating beam "
    "from behind. He lifts a signal lamp and flashes it towards the sea with steady "
    "hands, his face alternating between darkness and light. Rain on the windows, "
    "the great Fresnel lens turning, reflections of light streaking across the frame, "
    "determined expression, cinematic lighting.",
    "smiling, looking at camera, distorted face, extra fingers, flat lighting",
    5.0, "16:9", 4242,
    N_("Keep the seed: this take has the right face."),
  },
  {
    N_("Morning"),
    "Calm morning after the storm. The same lighthouse seen from the sea in soft pink "
    "dawn light, the water almost still, seagulls circling. In the distance the small "
    "trawler sails safely into the harbour. Slow lateral tracking shot, gentle mist, "
    "peaceful and warm, film grain, soft pastel palette.",
    "storm, rain, dark clouds, wreck, text, watermark",
    7.0, "16:9", -1,
    N_("Last shot: let it breathe, then fade to black."),
  },
};

TakesProject *
takes_demo_create_project (void)
{
  TakesProject *project = takes_project_new ();

  takes_project_set_title (project, _("The Lighthouse Keeper"));
  takes_project_set_size (project, 1920, 1080);
  takes_project_set_fps (project, 24.0);

  for (guint i = 0; i < G_N_ELEMENTS (demo_shots); i++)
    {
      const DemoShot *demo = &demo_shots[i];
      g_autoptr(TakesShot) shot = takes_shot_new ();

      takes_shot_set_title (shot, _(demo->title));
      takes_shot_set_prompt (shot, demo->prompt);
      takes_shot_set_negative_prompt (shot, demo->negative_prompt);
      takes_shot_set_duration (shot, demo->duration);
      takes_shot_set_aspect (shot, demo->aspect);
      takes_shot_set_seed (shot, demo->seed);
      takes_shot_set_notes (shot, _(demo->notes));
      takes_project_append_shot (project, shot);
    }

  takes_project_set_modified (project, FALSE);

  return project;
}

GFile *
takes_demo_get_file (void)
{
  return g_file_new_build_filename (g_get_user_data_dir (), "takes", "Demo",
                                    "Demo Film" TAKES_PROJECT_EXTENSION, NULL);
}

GFile *
takes_demo_ensure (GError **error)
{
  g_autoptr(GFile) file = takes_demo_get_file ();
  g_autoptr(GFile) dir = NULL;
  g_autoptr(TakesProject) project = NULL;
  g_autoptr(GError) local_error = NULL;

  if (g_file_query_exists (file, NULL))
    return g_steal_pointer (&file);

  dir = g_file_get_parent (file);
  if (!g_file_make_directory_with_parents (dir, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  project = takes_demo_create_project ();
  if (!takes_project_save (project, file, error))
    return NULL;

  return g_steal_pointer (&file);
}
