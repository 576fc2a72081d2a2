/**
 * The one script of a subscribe form (the subscriber pages' and the web archive's) and of the preferences
 * page: it puts the browser's IANA time zone in the consent checkbox's value (`#tz`) and shows its row
 * (`#tz-choice`), so the zone is posted only when the reader ticks it (an unticked checkbox posts nothing).
 * Without JavaScript the row stays hidden and the form works as before. The pages' Content-Security-Policy
 * allows it by its hash (http/pages.ts).
 */
export const TIME_ZONE_SCRIPT =
  "(function(){var b=document.getElementById('tz'),c=document.getElementById('tz-choice'),z='';try{z=Intl.DateTimeFormat().resolvedOptions().timeZone||''}catch(e){}if(b&&c&&z){b.value=z;c.hidden=false}})();";
