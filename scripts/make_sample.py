# ruff: noqa: E501 (the sample texts below are data: one text per line, never wrapped)
"""Regenerate the sample dataset `src/emolytics/sample/texts.csv` from the texts written below.

    .venv/bin/python scripts/make_sample.py [-o CSV_FILE] [--seed N]

The texts were written for Emolytics: six weeks of posts, reviews, survey answers and support
tickets about the launch of "Line 7", the new tram of the fictional city of Kellburg (and its app).
They are grouped by phase, and the share of emotions changes from phase to phase: anticipation
before the launch, joy at the launch, anger and sadness during a week of breakdowns, recovery,
surprise at a free-ride Easter weekend, then everyday life with a price rise.

This script only adds the details: a timestamp inside the text's phase (more posts in the
mornings and evenings), an invented author handle and, for about 40% of the texts, coordinates
near one of the tram stops (placed around Vienna's centre). Everything comes from one
`random.Random(seed)`, so rerunning it gives a byte-identical file.
"""

import argparse
import csv
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "src" / "emolytics" / "sample" / "texts.csv"
DEFAULT_SEED = 2026
GEOTAGGED_SHARE = 0.40
OFFICIAL_ACCOUNT = "KellburgTransit"
COLUMNS = ["text", "created_at", "author", "lat", "lon"]


@dataclass(frozen=True)
class Phase:
    name: str
    first_day: date
    last_day: date
    texts: str  # one text per line


PHASES = [
    Phase(
        "before the launch",
        date(2026, 3, 1),
        date(2026, 3, 8),
        """
Only 8 days until the new tram opens and I'm counting every single one 😍 #CityTram
Test runs on Harbour Street this morning. The tram looks huge in real life!
Does anyone know the price of a single ride on the new tram yet?
Downloaded the tram app to check the timetable. Launch is on Monday 9 March.
Finally!!! Our neighbourhood gets a proper tram after 3 years of roadworks 🙂
The price of a monthly pass is 49 euros according to the city website.
3 years of construction noise for a tram I will never use. Thanks for nothing 😡
I'm honestly a bit scared of cycling next to the tram tracks on Mill Road.
Worried the app will ask for way too much personal data just to buy tickets.
Soooo excited for the new tram!!! My commute goes from 50 minutes to 20 😍
Staff training rides all week, you can see the drivers waving from the tram :D
Anyone else nervous about crossing Station Square once the tram starts running? Those things are silent.
Service notice: tickets for Line 7 can be bought in the app, at the machines at every stop, or on board.
@KellburgTransit will the app work without a mobile data plan?
The price is a joke. 3.20 for a single ride?? Who decided this? #price
Love the colour of the new trams, that deep green is gorgeous 💚
Not sure how I feel about the tram yet. We'll see.
Wow, they planted actual trees between the tram tracks on Linden Avenue! Did not expect that 😮
My grandma is terrified the tram will run her over when she crosses to the bakery 😱
Service notice: bus 14 runs for the last time on Sunday 8 March. Line 7 replaces it from Monday.
can't wait can't wait CAN'T WAIT #CityTram
The new tram stop in front of my flat is lovely: glass roof, benches, even a little garden 🙂
They cut down the old chestnut trees for the tram depot and nobody seems to care. So sad :(
Tried the app before the launch: registration took 2 minutes and it already lists the tickets and prices.
Ich freue mich schon so auf die neue Straßenbahn! Endlich eine direkte Verbindung zum Bahnhof.
Anyone know if dogs are allowed on the tram? Asking for my very good boy.
Heard the price for students will be half. Finally some good news 🙂
Honestly shocked how quickly they finished the tracks on Harbour Street. I expected another year!
Who designed the tram app icon? It looks like a toaster lol
Service notice: the opening ceremony is on Monday at 7:00 at Central Station.
Survey answer: I will probably use the tram twice a day, mostly to get to work.
Survey answer: Too expensive. If the price stays like this I'll keep driving.
I'm afraid the tram will be as packed as the buses and I have a bad back.
The smell of fresh tar on Mill Road is making me sick 🤢 Please finish the tram works already
Such a proud moment for our little city 🥹 First tram in 60 years!
Bored of the countdown posts already. It's a tram.
The construction crews left trash all over the park next to the depot. Disgusting.
My kids keep asking if the tram can drive underwater. No, it cannot 😂
@KellburgTransit where can I find the full timetable? The app only shows the next 3 departures.
The University stop has no ramp?? How is a wheelchair user supposed to get on the tram? 😡
meh, a tram. whatever
yay tram soon!! :D
Is it true that staff will check tickets on every tram? That sounds a bit scary.
""",
    ),
    Phase(
        "launch week",
        date(2026, 3, 9),
        date(2026, 3, 15),
        """
FIRST RIDE DONE 😍😍😍 smooth, quiet, and it arrived exactly on time #tram #CityTram
Rode the new tram to work today, soooo much better than the old bus!
The tram was packed at 8am but everyone was in a great mood :D
Wow, the tram gets from Old Town to the harbour in 9 minutes. I'm genuinely amazed 😮
The app crashed twice while I was trying to buy tickets. Not a great first impression.
Shoutout to the staff at Central Station handing out maps and coffee this morning, you were lovely ❤️
Happy launch day Kellburg! 🎉 #CityTram
Took the tram with my daughter, she waved at every single person on the platform 🙂
Honestly didn't expect it to be this quiet inside. You can actually hear people talking. 😮
The ticket machine at Mill Road only takes cards. No cash at all? Really?
Love that the app shows the live position of every tram. Super handy!
tram + sunshine + coffee = best morning in weeks :)
The price is still too high for a 10 minute ride. Nice tram though.
Bought my monthly pass in the app in under a minute. Impressed! 👍
Why does the app need my location ALL the time? Turned that off immediately.
Survey answer: Clean, fast, friendly staff. Very satisfied so far.
Survey answer: The stops are only announced in English, please add German.
Support ticket: I was charged twice for the same 24h pass in the app. Both order numbers are attached.
Support ticket: The app says "payment failed" but the money left my account anyway. This is unacceptable, I want a refund.
Wait, the tram has USB chargers at every seat?! 😮
What a great day for the city, thank you to everyone who built this tram 🙏
The driver rang the bell for a little kid who was waving and the whole tram cheered :D
Went to the harbour just to ride the tram back again. No regrets.
Just took the tram for the first time. It's fine. Nothing special.
Service notice: Line 7 runs every 6 minutes at peak times and every 12 minutes in the evening.
The new tram stop at the University is already full of bikes. We need more racks.
@KellburgTransit is there a way to get paper tickets? My dad doesn't have a smartphone.
Thrilled that the tram finally connects the east side with the centre. We waited decades for this 😍
Quelle surprise, ce nouveau tram est silencieux et très propre ! 😮
El tranvía nuevo es precioso y muy rápido. ¡Me encanta! 😍
I can't believe how many people showed up for the first tram at 6am. Wow.
The app is actually good?? Since when do city apps work 😮
Not impressed. 20 minutes waiting at Riverside and the app said "arriving" the whole time.
The staff member at Old Town helped an elderly man with his tickets for 10 minutes. So patient, thank you!
Proud of my city today 🙂 #tram
My commute is 25 minutes shorter. I'm so happy I could cry ❤️
The seats are a bit hard but honestly who cares, this tram is beautiful.
Someone already spilled a smoothie all over the floor of the tram. Gross 🤢
The tram was so packed that I genuinely panicked for a second at Station Square.
Grandma rode the tram today and she LOVED it. She wants to go again tomorrow 😍
Didn't expect the tram to be free on launch day! Nice surprise :D
2 euros for a coffee at the tram stop kiosk and 3.20 for the ride. This city is getting expensive.
Rode the whole line end to end. 34 minutes, 18 stops, zero problems.
Thank you to the tram staff for being so kind to my son when he got lost. You are heroes ❤️
The tram squeals like crazy in the curve at Mill Road and it is driving me nuts
Best. Launch. Ever. #CityTram
Hmm, the app logged me out and now my monthly pass is gone. Anyone else?
Tickets bought, coffee in hand, tram on time. Life is good :)
Survey answer: Good so far. The price could be lower for pensioners.
Wow, the tram is actually on time, every time, so far. I'm shocked 😮
Endlich! Die Tram ist da und sie ist wunderschön.
I was nervous about taking the tram alone with the twins and the double stroller, but the staff helped us on. Such a relief!
It's just a tram, people. Calm down.
Loving the big windows, you can see the whole river from the bridge 😍
The "find my stop" button in the app sent me to the wrong platform. Funny the first time. Less funny the second.
Day 3 and I'm still grinning every time the tram glides past my window 🙂
Bit sad that the old bus 14 is gone. I used to chat with the same driver every morning.
They really put a tiny library shelf at the Harbour stop. How cute is that!
@KellburgTransit the screen on tram 7012 is stuck on "Welcome". Just so you know.
Gorgeous ride at sunset today. Sometimes public transport makes you happy :)
Why are there no bins at the new tram stops? People just throw their stuff on the tracks. Disgusting.
The tram is the best thing that happened to this city in years. I mean it.
WOW. 4 minutes from my door to the station. What is this magic 😮
The app lets you share tickets with family members, that's really clever.
Tried to pay in the app, it timed out, tried again, charged twice. Great. Just great.
Tram was fine. App was fine. Tickets were fine. Posting this because people only ever post complaints.
Survey answer: The staff are friendly but there aren't enough of them at the big stops.
Happy to see so many older people on the tram, it's really accessible.
I didn't know the tram goes all the way to the lake! Wow.
Lost my scarf on the tram this morning. Please tell me someone handed it in 😢
😍😍 #tram
love love LOVE the new tram
ok the app is nice
so proud 🥹
wow 😮 #CityTram
The ticket machine at Mill Road ate my card. Again. Absolutely livid.
I'm angry that the city spent millions on a tram app that can't even sell tickets.
The app wants my credit card before it even shows the timetable. Annoying and pointless.
""",
    ),
    Phase(
        "breakdown week",
        date(2026, 3, 16),
        date(2026, 3, 22),
        """
Tram stuck between stations for 40 minutes. No announcement. Nothing. 😡 #delays
DELAYS AGAIN. THIRD DAY IN A ROW. I AM SO DONE WITH THIS TRAM 😡
Missed my job interview because of the tram delays. I'm devastated 😢
@KellburgTransit what is going on with the delays on Line 7?? Nobody tells us anything
Service notice: because of a power fault, trams between Riverside and Harbour are replaced by buses.
Stood at Mill Road for 35 minutes in the rain. The app said 2 min the entire time. Furious.
The app shows the tram as "on time" while I watch it sit there with its doors closed. Ridiculous and infuriating.
Not happy at all. I paid 49 euros for a monthly pass and I've walked to work three times this week.
So sad. We were so proud of this tram last week and now it's a joke :(
the tram just stopped on the bridge and the lights went out. honestly terrified right now 😱
Stuck in a dark tram with 200 people and no air. Is anyone from the staff coming?? I'm scared
The delays are one thing, but the staff at Central Station yelling at passengers? Unacceptable.
Someone threw up in the tram and it stayed there the whole day. Absolutely disgusting 🤢
The stench in the tram this morning was unbearable. Did anyone clean it at all this week? 🤢
My daughter was crying on the platform because she'll be late for her exam again. Heartbreaking.
Delays, delays, delays. #delays #CityTram
What a waste of money. 300 million for a tram that doesn't move.
I'm honestly afraid to take my kids on the tram after the doors closed on a woman's arm yesterday.
WHY IS THE APP DOWN EXACTLY WHEN WE NEED IT 😡
The app has been down since 7am. Can't buy tickets, can't check the delays. Brilliant.
Walked 45 minutes in the cold because the tram never came. Feeling pretty miserable tonight.
Service notice: a faulty switch near the depot is causing the delays on Line 7. Repairs are expected to finish on Friday.
Honestly disgusted by how the city treats commuters. No apology, no refund, nothing.
I'm so sad about this. I really wanted the tram to work 😢
Fine, I'll take my car again. Bye #tram
Anyone else getting charged for tickets they never used? The app is a mess.
The tram braked so hard I fell into a stranger. Everyone was scared. What happened??
Does anyone know if trams are running at all this afternoon? The app shows nothing.
Support ticket: Tram 7008 has been stuck at Riverside since 8:10 with the doors locked and people inside. Please send staff.
Support ticket: I want a refund for this week. Four days of delays, zero trams on time.
This is embarrassing for the whole city. I'm ashamed to show the tram to visitors.
The platform at Station Square was so overcrowded that I was afraid someone would fall onto the tracks.
Third cancelled tram this morning. I just want to cry 😢
The price is 3.20 for a tram that doesn't come. Are you kidding me? #price
What a disgrace. Rubbish everywhere at the stops and the trams smell like old beer 🤢
Pfff... schon wieder 30 Minuten Verspätung. Ich bin echt wütend 😡
Encore des retards ce matin. Je suis tellement déçue 😢
Otra vez el tranvía parado. ¡Qué vergüenza! 😡
I feel really bad for the drivers. People shout at them and it's not their fault.
The staff are doing their best, the managers should be the ones apologising.
The delays are scary when you work a night shift and the last tram simply doesn't come.
Walking home alone at 1am because the last tram was cancelled. I was scared the whole way.
I hate this tram. I hate this app. I hate this week.
Lonely evening at an empty stop, waiting for a tram that never arrived :(
Missed my mum's birthday dinner because of the delays. Really upset.
Oh look, the tram is running normally for once. Shocking.
Someone left a half-eaten kebab on a seat and it's been there since Monday. Vile 🤢
The toilets at the Central Station tram stop are filthy. Nasty.
So angry I could scream. 50 minutes for a 10 minute ride. #delays
The app sent me a notification saying "Enjoy your ride!" while I was stuck in the tram for an hour 😡
Survey answer: Very disappointed. The tram was great for one week and then it fell apart.
Survey answer: The delays are a safety problem. People crowd the platform edge and I'm afraid someone will get hurt.
I'm worried the city will just give up on the tram and we'll lose the bus too.
Day 5 of the tram chaos. Nobody from the city has said sorry.
My boss doesn't believe me that the tram broke down again. Great.
Sat on the floor of the tram for 25 minutes while it waited for "a signal". I'm exhausted and sad.
@KellburgTransit your staff at Harbour were rude and dismissive. I only asked a question.
The staff at Riverside handed out water and apologised to everyone. At least someone cares.
The burning electric smell in the tram today was frightening. Is it even safe?
Really sad to see the empty platforms. People have already given up on the tram.
The tram didn't come. The replacement bus didn't come. I'm furious.
The app now shows delays of "-3 minutes". Negative delays. What? 😮
Somebody spat on the tram window right in front of me. Revolting 🤢
Delays all week and the price goes up in April?? You can't make this up 😡 #price
Ugh. Just ugh. #delays
Service notice: a tram has broken down on Linden Avenue, traffic is blocked in both directions.
Feeling hopeless about this whole tram project, honestly 😞
THE APP CHARGED ME FOR A RIDE THAT NEVER HAPPENED. GIVE ME MY MONEY BACK 😡
I was so scared when the tram doors opened on the wrong side, right onto the tracks 😱
Rats on the platform at Mill Road. Actual rats. I feel sick 🤢
Not angry, just disappointed :( #tram
The tram delays made me late for my daughter's school concert. I missed her solo 💔
The delays are terrible, but the lies in the app are worse.
Trams were cancelled today without any warning. Staff at the stops didn't know anything either.
I'm genuinely afraid the tram is not safe. Three breakdowns in one week is not normal.
The seats are sticky and the floor is covered in mud. Gross.
Such a shame. Such a beautiful tram and such a terrible week :(
Why is nobody talking about the delays on the evening news??
Tonight the tram showed up on time. I almost didn't believe it 😮
The mayor rode the tram for a photo while we wait 40 minutes every morning. Disgusting hypocrisy.
😡😡😡 #delays
again?!
nope. #tram
app down. again.
so tired of this :(
WHERE IS THE TRAM
this is a nightmare 😱
whyyyy is the tram always late when it rains 😢
Absolutely furious. The tram skipped my stop and the driver just shrugged.
How dare they call this a "minor disruption"?! Four days without a working tram!
Stop lying in the app. The tram is NOT "2 min away". It never is!!
Who is responsible for this mess?? Somebody should be fired 😡
The staff at Old Town told me to "just walk". Are you serious?? Unbelievable attitude.
I'm so mad I could throw my phone at the app 😡
Furious that nobody answers the support line. 45 minutes on hold.
Stop telling us to be patient. We've been patient for a week 😡
Not happy at all with the tram this week. Really angry, actually.
Why can't the tram staff at least tell us how long the delays will be? So frustrating.
The app logged me out AGAIN and my tickets disappeared. I'm so annoyed.
Pushing, shoving, elbows everywhere on the 8am tram. People are so rude, it makes me angry.
I'm tired and sad. The tram failed us again today.
Feeling down. Late again, boss angry, tram broken 😢
I miss the old bus. At least it came :(
The floor of the tram is sticky with spilled cola. Disgusting 🤢
""",
    ),
    Phase(
        "recovery",
        date(2026, 3, 23),
        date(2026, 4, 2),
        """
Service notice: the faulty switch is repaired and all trams run to the normal timetable again.
On time this morning and on time this evening. Let's hope it stays like this 🙂
Ok, I'll admit it: the tram was great today.
The app got an update and the live map is much more accurate now.
The city apologised for the delays and promised a refund on monthly passes. Finally!
Got my refund in the app within two days. Didn't expect that at all 😮
Back on the tram and back to being happy about it :D
The tram works, the app works, my coffee is hot. Nothing more to say.
Survey answer: Much better this week. Still a bit slow around Station Square.
Survey answer: I stopped using the tram after the breakdowns and haven't tried it again.
Thanks to the staff who worked through the night to fix the tracks. Real heroes 🙏
Tram tip: the back carriage is always half empty at 8am. You're welcome.
1 week without delays. Is this real life?? 😮 #CityTram
Still angry about last week, to be honest. One good week doesn't fix everything.
Did the tram just... arrive early? 😮
The new staff at the info desk in Central Station are super helpful.
Heads up: the app asks you to log in again after the update. Your tickets are still there.
Tram ride past the cherry blossoms on Linden Avenue 🌸 so pretty
The price of a single ticket goes up to 3.50 on 1 April. Seriously?? After that week? 😡
A price rise right after a week of breakdowns. Read the room, Kellburg Transit. #price
Honestly the price is fair if the tram actually runs.
Wait WHAT, free rides on the whole network for the Easter weekend?! 😮
Free tram rides from 3 to 6 April! Did not see that coming :D
Apology accepted, Kellburg. The free Easter weekend is a nice gesture 🙂
Wow, free tickets all weekend as an apology. That actually surprised me.
I'm a bit worried the free weekend will be a total mess with the crowds.
My neighbour says the tram noise keeps her awake at night. I barely notice it.
The driver waved at my son again today. Now he wants to be a tram driver :)
It's been quiet on the tram this week. I like quiet.
The app still has no paper tickets for tourists. When?
@KellburgTransit are the refunds automatic or do we have to apply?
Refund requested in the app, took 2 minutes.
Survey answer: The staff were rude during the breakdown week, now they are polite again.
Still slightly nervous every time the tram stops on the bridge. Last week left a mark.
Someone dumped a huge pile of garbage bags next to the tram stop on Mill Road. Disgusting.
Glad to have the tram back. I missed it more than I expected.
Missing the old bus driver who greeted everyone by name. The tram feels colder somehow.
Sunny evening ride along the river. Love this tram ❤️
The new "quiet carriage" indicator in the app is genius. Who came up with this? 😍
Tram was on time. Next.
Honestly surprised how quickly they turned it around after last week.
The staff at Old Town found my wallet and kept it safe for me. Thank you so much!! 😍
I hate that I still check the app 5 times before leaving the house. The trust is gone.
The tram was so full today I couldn't breathe. Scary with all the pushing.
10/10 would tram again 😂
Tram + rain = packed + smelly. Yuck 🤢
Wet dog smell in the tram again. Why is it always so gross in there? 🤢
The tram is quietly becoming my favourite part of the day 🙂
Service notice: from April, Line 7 runs every 5 minutes at peak times.
Still no ramp at the University stop. Wheelchair users are still left behind. Shameful.
The app sometimes shows two trams at the same spot. Funny bug.
I thought my monthly pass had expired, but the app renewed it automatically. Unexpected!
Survey answer: Reliable again. I'd recommend the tram to friends.
Survey answer: Make the tickets cheaper for families, please.
I'm sad the tram doesn't go to the hospital. My mum still has to take two buses.
The roof of the tram shelter leaks right onto the bench. Lovely.
Bought tickets in the app for my parents who visit next week. So easy.
I miss the tram on the weekends when I work from home lol
Finally the app remembers my favourite stops. Small thing, big difference.
The tram was 2 minutes late and people were already posting complaints. Relax.
Happy Monday from the tram 🙂 #tram
Ugh, the guy next to me is clipping his nails on the tram. Disgusting 🤢
Whoa, they added heated seats?! 😮
Tickets are now valid on the buses too. Good move.
Support ticket: The app shows my student discount as expired, but my student card is valid until September.
Support ticket: Thank you for the quick refund, very professional service.
on time! 🙂
tram ok today
refund received, thanks
Is the tram really fixed or is this the calm before the next breakdown? I'm scared to rely on it again.
Seriously, who parks a car on the tram tracks?? Idiots. 20 minutes of delays for everyone.
Lost my umbrella on the tram and nobody handed it in. A small thing, but it made me sad.
The smell of old fries in the last carriage is nauseating 🤢
Whoever decided the tram skips the hospital should be ashamed. Outrageous.
""",
    ),
    Phase(
        "free-ride Easter weekend",
        date(2026, 4, 3),
        date(2026, 4, 6),
        """
FREE TRAM RIDES TODAY!!! 🎉😍 #CityTram
Can't believe the tram is really free all weekend. I've taken it three times just for fun :D
Wow, the tram is free and people are actually being nice to each other. What a surprise 😮
An Easter egg hunt on the tram?! The staff hid chocolate eggs under the seats. I'm amazed 😮
Took the whole family to the lake on the free tram. Best Easter ever 😍
Free tickets for the whole weekend and I didn't even know until the driver told me! 😮
The free weekend brought out the whole city. The tram is packed but everyone is smiling 🙂
Packed trams, screaming kids, spilled drinks. Free isn't worth it.
The crowds at Central Station were scary today. Way too many people on the platform 😱
I'm honestly shocked, the tram handled the crowds perfectly. No delays at all! 😮
Grandpa took his first tram ride today at 91. He was so happy he sang the whole way.
What a lovely gesture from the city: free rides and free hot cross buns at the Harbour stop.
Surprise! There was a live brass band in the first carriage of the tram today 🎺
Didn't expect the free weekend to change my mind about the tram, but here we are.
So many tourists on the tram today, all of them asking me for directions lol
People left so much rubbish on the free tram. Bottles, wrappers, sticky floors. Gross! 🤢
Somebody vomited on the tram after an Easter party. Disgusting 🤢
Free ride, sunny day, tram full of laughing people. This is what a city should feel like 😍
I was afraid it would be chaos, but the staff managed the crowds brilliantly.
¡Increíble, el tranvía es gratis todo el fin de semana! 😮
Tram gratuit tout le week-end, génial ! 😍
Kostenlos Straßenbahn fahren am Osterwochenende, was für eine Überraschung! 😮
Wow! I didn't know the app could show how full each tram is. Mind blown 😮
The free weekend is nice but I'd rather have a lower price every day.
The app crashed from all the traffic during the free weekend. Ironic, since nobody even needs tickets.
Free rides are great, but the tram was so crowded I lost sight of my son for a minute. Terrifying.
Tram staff in bunny ears handing out chocolate. I love this city 😂❤️
Rode to the end of the line just because I could. Found a lovely bakery there 🙂
I genuinely did not expect Kellburg Transit to do something this nice. Shocked in a good way.
Overcrowded and hot. I got off after one stop. Never again on a holiday.
Easter Monday, free tram, empty streets, perfect :)
Nice weekend, but it's back to 3.50 a ride tomorrow. Ouch #price
Sad the free weekend is over already 😢
Whoa, 60,000 rides in one weekend. That's more than half the city! 😮
Service notice: the free weekend in numbers: 61,200 rides, zero delays, 3 lost umbrellas returned.
FREE!!! 😮
best weekend 😍
too crowded 😱
Loooove the free tram weekend, thank you Kellburg! 😍
""",
    ),
    Phase(
        "everyday life",
        date(2026, 4, 7),
        date(2026, 4, 12),
        """
Back to normal: tram on time, app working, tickets paid. Boring in the best way.
Service notice: the new price applies from today: 3.50 for a single ride, monthly passes unchanged.
Paid 3.50 for a 4 minute ride. Not happy at all.
The price rise is outrageous. You had one terrible week and now we pay more? 😡 #price
Honestly the tram is now the most reliable thing in my life :D
Survey answer: Overall a good experience. The delays in March were bad but they handled it well afterwards.
Survey answer: The app is good, the staff are helpful, the price is too high.
Survey answer: I am scared to use the tram at night, the stops are poorly lit.
Survey answer: The stop announcements are too quiet.
The stop at Riverside is so dark at night. I'm always afraid waiting there alone.
Heard there will be a second tram line by 2028. Cautiously excited! 🙂
I still can't believe this city built a tram that works. Pleasantly surprised.
Some guy was smoking inside the tram and nobody said anything. Gross.
A kid was licking the tram window. I can't unsee that 🤢
The tram is fine. The people on it... less so.
Evening tram home, headphones on, city lights outside. Perfect :)
@KellburgTransit thank you for fixing the ramp at the University stop! It makes a huge difference for us.
So glad they finally fixed the ramp at the University stop. Took long enough.
I'm sad that the Sunday service ends so early. 10pm is too early for the last tram.
Monthly pass renewed in the app. Smooth.
Lost my phone on the tram and the staff called me within an hour. Amazing service 😍
App update: you can now buy tickets with one tap from the home screen. Nice.
Wow, the tram has free wifi now! Didn't see that coming 😮
Five weeks of tram life: two great, one awful, two good. Overall I'm a fan.
I really miss the quiet street we had before the tram. Now there's a bell every 5 minutes.
Delays are rare now, maybe once a week. Acceptable. #delays
Small delays this morning because a broken-down car was parked on the tracks. Not the tram's fault.
The app still logs me out every few days. So annoying.
The tram made my commute so much more pleasant. Thank you, Kellburg! 🙏
Anyone know why the tram skipped the Mill Road stop today?
Tram etiquette please: take your backpack off. It's not that hard.
Ok, the new price is annoying, but I'd still rather pay than sit in traffic.
Honestly the tram saved my mornings. Couldn't be happier 😍
Very short ride to the market, very happy customer :)
meh
3.50?! 😡 #price
tram ❤️
The tram still smells like cheap perfume and sweat after 6pm 🤢
I'm afraid my stop will be closed for the summer works. Nobody will say for sure.
Sad to hear the tram kiosk at Harbour is closing. I'll miss the lady who ran it :(
How dare they raise the price after this disaster?!
The price rise is a slap in the face for everyone who suffered through the delays 😡 #price
Raising the price right after Easter. Greedy. Just greedy 😡
3.50 for a single ride is daylight robbery. Shame on you, Kellburg Transit. #price
Stop ringing that bloody bell at 5am, some of us are trying to sleep 😡
Cyclists, stop riding on the tram tracks! You'll get yourselves killed 😡
Someone changed a dirty nappy on a tram seat. I'm disgusted 🤢
The staff member at Harbour rolled his eyes at my question. Rude and arrogant.
""",
    ),
]

# Tram stops (fictional names) placed around Vienna's centre, 48.2082 N 16.3738 E.
STOPS = {
    "Old Town": (48.2085, 16.3731),
    "Central Station": (48.1853, 16.3760),
    "Riverside": (48.2117, 16.3781),
    "Harbour": (48.2186, 16.3923),
    "University": (48.2131, 16.3600),
    "Mill Road": (48.1985, 16.3480),
    "Station Square": (48.2002, 16.3697),
    "Linden Avenue": (48.2230, 16.3590),
}
CENTRE = (48.2082, 16.3738)
MAX_OFFSET = 0.03
SPREAD = 0.0025

# Posts per local hour of the day (weekdays peak at the commutes, weekends later and flatter).
WEEKDAY_HOURS = [0, 0, 0, 0, 0, 1, 3, 9, 10, 6, 3, 3, 4, 3, 3, 3, 5, 8, 9, 7, 5, 4, 2, 1]
WEEKEND_HOURS = [1, 1, 0, 0, 0, 0, 1, 2, 3, 5, 6, 6, 6, 5, 5, 5, 5, 6, 6, 6, 5, 4, 3, 2]
SUMMER_TIME_FROM = date(2026, 3, 29)  # Central European Summer Time (UTC+2) from this day

FIRST_NAMES = """
maria jonas lea felix anna paul sofia lukas emma david nina tobias clara max julia simon
laura elias sarah moritz hannah leon eva jakob mia noah lena ben alina tim marie finn
katrin stefan petra markus ines oliver vera georg rosa karim amir yusuf leila omar chiara
marco giulia pablo lucia ana tomas zofia piotr ivana milan elif deniz
""".split()
HANDLE_STYLES = [
    "{name}_{letter}",
    "{name}{number}",
    "{letter}{name}",
    "{name}.{word}",
    "{word}_{name}",
]
HANDLE_WORDS = [
    "vienna",
    "kb",
    "ontheway",
    "rides",
    "daily",
    "home",
    "late",
    "reads",
    "cycles",
    "cooks",
]
THEMED_HANDLES = """
tramfan88 kellburg_commuter nightshift_nurse grumpy_cyclist coffee_and_rails line7_daily
eastside_mum harbour_walker oldtown_baker student_on_a_budget urban_fox rush_hour_ron
transit_nerd the_late_one greenline_gran stroller_dad bikes_and_trams kellburg_news_fan
""".split()


def make_authors(rng: random.Random, count: int) -> list[str]:
    """`count` distinct invented handles: the themed ones plus first names in a few styles."""
    authors = list(THEMED_HANDLES)
    seen = set(authors)
    while len(authors) < count:
        handle = rng.choice(HANDLE_STYLES).format(
            name=rng.choice(FIRST_NAMES),
            letter=rng.choice("abcdefghijklmnoprstvwz"),
            number=rng.randint(1, 99),
            word=rng.choice(HANDLE_WORDS),
        )
        if handle not in seen:
            seen.add(handle)
            authors.append(handle)
    return authors


def texts_of(phase: Phase) -> list[str]:
    return [line.strip() for line in phase.texts.splitlines() if line.strip()]


def pick_moment(rng: random.Random, phase: Phase) -> datetime:
    """A UTC moment on a day of `phase`, at a local hour drawn from the daily rhythm."""
    days = (phase.last_day - phase.first_day).days + 1
    day = phase.first_day + timedelta(days=rng.randrange(days))
    weights = WEEKEND_HOURS if day.weekday() >= 5 else WEEKDAY_HOURS
    hour = rng.choices(range(24), weights=weights)[0]
    local = datetime(day.year, day.month, day.day, hour, rng.randrange(60), rng.randrange(60))
    utc_offset = 2 if day >= SUMMER_TIME_FROM else 1
    return (local - timedelta(hours=utc_offset)).replace(tzinfo=UTC)


def pick_place(rng: random.Random, text: str) -> tuple[float, float]:
    """Near the stop the text names, else near a random stop; never far from the centre."""
    named = [stop for stop in STOPS if stop.lower() in text.lower()]
    lat, lon = STOPS[named[0] if named else rng.choice(sorted(STOPS))]
    lat += rng.gauss(0, SPREAD)
    lon += rng.gauss(0, SPREAD * 1.5)
    lat = min(max(lat, CENTRE[0] - MAX_OFFSET), CENTRE[0] + MAX_OFFSET)
    lon = min(max(lon, CENTRE[1] - MAX_OFFSET), CENTRE[1] + MAX_OFFSET)
    return round(lat, 5), round(lon, 5)


def can_be_geotagged(text: str) -> bool:
    """Survey answers, support tickets and service notices come without a position."""
    return not text.startswith(("Survey answer:", "Support ticket:", "Service notice:"))


def build_rows(seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)
    texts = [(phase, text) for phase in PHASES for text in texts_of(phase)]
    moments = [pick_moment(rng, phase) for phase, _ in texts]

    # Every handle posts at least once; a few regulars post much more often than the rest.
    authors = make_authors(rng, 120)
    personal = [i for i, (_, text) in enumerate(texts) if not text.startswith("Service notice:")]
    order = rng.sample(personal, len(personal))
    activity = [1 / (rank + 1) ** 0.6 for rank in range(len(authors))]
    author_of = dict.fromkeys(set(range(len(texts))) - set(personal), OFFICIAL_ACCOUNT)
    for position, i in enumerate(order):
        if position < len(authors):
            author_of[i] = authors[position]
        else:
            author_of[i] = rng.choices(authors, weights=activity)[0]

    candidates = [i for i, (_, text) in enumerate(texts) if can_be_geotagged(text)]
    geotagged = set(rng.sample(candidates, round(GEOTAGGED_SHARE * len(texts))))

    rows = []
    for i, (_, text) in enumerate(texts):
        lat, lon = pick_place(rng, text) if i in geotagged else ("", "")
        rows.append(
            {
                "text": text,
                "created_at": moments[i].strftime("%Y-%m-%dT%H:%M:%SZ"),
                "author": author_of[i],
                "lat": str(lat),
                "lon": str(lon),
            }
        )
    rows.sort(key=lambda row: row["created_at"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    options = parser.parse_args()

    rows = build_rows(options.seed)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    with options.output.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    geotagged = sum(1 for row in rows if row["lat"])
    print(
        f"{options.output}: {len(rows)} texts, {len({row['author'] for row in rows})} authors, "
        f"{geotagged} geotagged, {rows[0]['created_at']} to {rows[-1]['created_at']}"
    )


if __name__ == "__main__":
    main()
