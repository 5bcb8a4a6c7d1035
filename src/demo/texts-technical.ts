import type { Topic } from './texts.ts';

const thanks = [
  'Thanks, [all good now|it works again|working now]!', 'That did it, thanks {agent}.', 'Great, thank you for the help.', 'OK, thanks for the quick response.',
];
const closing = [
  "Good to hear! I'll close this conversation. Reply here if it acts up again.", 'Glad it works. Enjoy your [evening|day|weekend]!',
  "You're welcome. Have a good one!",
];

export const technicalTopics: Record<string, Topic> = {
  outage: {
    key: 'outage', team: 'Technical', skill: 'technical', tags: ['outage'], priority: [['high', 60], ['urgent', 25], ['normal', 15]],
    scripts: {
      main: {
        subject: ['Internet down in {town}', 'No internet since {since}', 'Outage at {street}?', 'Connection down'],
        steps: [
          ['My internet is down since about {since}. [Is there an outage in {town}?|Is there a problem in {area}?]', 'No internet at {street} since {since}. The fibre light on the {router} is red.',
            'Is there an outage in {area}? [Nothing works|No connection at all] [and I work from home|and I have a meeting soon|and the kids are going crazy].', 'Internet down again?! {postcode}'],
          ["Sorry for the trouble. Yes, there's an outage in {area} since {since}, caused by {cause}. About {homes} addresses are affected. Our engineers are on site; we expect service back around {eta}. You can follow it on status.fibrelink.test (incident {ticket}).",
            "I'm sorry, there is a known outage in {area} ({ticket}) affecting around {homes} homes. The cause is {cause}. Expected repair: around {eta}. No need to restart your router, it will reconnect by itself.",
            'Thanks for reporting. We are aware of a disruption in {town} since {since} ({cause}). Engineers expect to have it fixed by {eta}. We will send you a message when it is resolved.'],
          ['Still nothing here. [Any update?|How much longer?]', 'OK. Will I get compensation for this?', 'Thanks for the update. Can you let me know when it is fixed?'],
          ['The repair is [done|finished] and the network is back in {area}. If your connection is not back within 10 minutes, please restart the {router}. Because the outage lasted more than 4 hours, a goodwill credit will appear on your next invoice.',
            'Update: the fault is fixed and service is restored. If you still have no connection, pull the power from the router for 30 seconds. A credit for the outage is added to your next bill.'],
          thanks, closing,
        ],
      },
    },
  },
  speed: {
    key: 'speed', team: 'Technical', skill: 'technical', tags: ['speed'], priority: [['normal', 85], ['high', 10], ['low', 5]],
    scripts: {
      main: {
        subject: ['Slow internet', 'Not getting the speed I pay for', 'Speed test only {measured} Mbit/s'],
        steps: [
          ['I pay for {plan} but a speed test only shows {measured} Mbit/s. [What is wrong?|Can you check my line?]', 'My internet has been [really slow|very slow|slow] for a few days. Video calls keep freezing.',
            'Speed is terrible in the evenings, about {measured} Mbit/s. I should get {speed}.'],
          ["I've checked your line: it's in sync at {speed}/{speed} Mbit/s and there are no errors on our side. Was the test done over wifi? Wifi rarely reaches full speed; could you test with a cable plugged into the {router}?",
            'Your fibre connection looks healthy from here (synced at {speed} Mbit/s, no errors in the last 7 days). Can you run a test on a laptop connected by cable, with other devices paused?'],
          ['With a cable I get {wired} Mbit/s. So it is the wifi?', 'Tested with a cable: {wiredLow} Mbit/s. Still not {speed}.', 'I did, it is much better with the cable.'],
          ["That's what the line should do, so it's the wifi. Try the 5 GHz network of the {router} and keep the router out of the cupboard. If the upstairs rooms stay slow, a mesh extender helps; we offer one for €4.50 a month.",
            "Thanks, that helps. I've reset the port on our side and reapplied the profile for {plan}. Please restart the router once; a cable test should now show close to {speed} Mbit/s.",
            'Then the line is fine and the wifi is the bottleneck. The 5 GHz network of the {router} is much faster at short range; for the far rooms a mesh point helps.'],
          ['OK, I will try the 5 GHz network.', 'Restarted, now I get {wired} Mbit/s. Thanks!', 'Thanks, good to know.'],
          closing,
        ],
        linked: [3, 4],
      },
    },
  },
  wifi: {
    key: 'wifi', team: 'Technical', skill: 'technical', tags: ['wifi'], priority: [['normal', 80], ['low', 20]],
    scripts: {
      main: {
        subject: ['Wifi does not reach upstairs', 'Weak wifi signal', 'Wifi keeps dropping'],
        steps: [
          ["The wifi doesn't reach the bedrooms upstairs. Downstairs it is fine.", 'My wifi keeps dropping on my phone and laptop, the cable connection is fine.', 'Is there a way to get better wifi in the garden office?'],
          ['Wifi has trouble with floors and walls, especially concrete ones. Where is the {router} placed? A central, open spot works best.', 'The {router} has two networks; the 5 GHz one is faster but reaches less far. Which one are your devices on?'],
          ["It's in the meter cupboard in the hallway.", 'I think the phone is on the 2.4 GHz one.'],
          ["That explains a lot: the meter cupboard blocks most of the signal. Moving the router out helps, and for the far rooms we recommend a mesh point. I can send one for €4.50 per month, cancel any time. Shall I?",
            "Try giving both networks the same name in the router settings (band steering), so devices switch by themselves. I've sent you a link to our guide."],
          ['Yes, please send the mesh point.', 'That helped, the phone stays connected now. Thanks!'],
          ["Done: the mesh point ships today, tracking code {tracking}. Plug it in halfway between the router and the far rooms and press the pair button. Enjoy!", "Great news. I'll close this; reply here if it gets worse again."],
        ],
        linked: [2, 3, 4, 5],
      },
    },
  },
  router: {
    key: 'router', team: 'Technical', skill: 'technical', tags: ['router'], priority: [['normal', 75], ['high', 20], ['low', 5]],
    scripts: {
      broken: {
        subject: ['Router light is red', '{router} not working', 'Router keeps restarting'],
        steps: [
          ['The [power|internet|fibre] light on my {router} is [blinking red|orange|off] and there is no internet.', 'My router keeps restarting every few minutes.', 'After a power cut the {router} does not come back up.'],
          ['Sorry to hear that. Could you unplug the {router} for 30 seconds, plug it back in and wait 5 minutes? Please also check the green fibre cable is clicked in properly on both ends.', "Let's try a restart first: power off for 30 seconds, then on again. If the light stays red, please send me a photo of the back of the router."],
          ['Did that, [no change|same problem].', 'Restarted it, still the same. [The fibre cable looks fine.|The cable is clicked in.]', 'It worked for an hour and then it started again.'],
          ["Thanks for checking. Our test shows the line is fine up to your home, so the {router} itself is faulty. I'm sending a replacement today (free of charge); it arrives tomorrow, tracking code {tracking}. Please return the old one in the same box.",
            'I see the router dropping its connection in our logs, so it is most likely a hardware fault. A new {router} is on its way, tracking {tracking}. Setup takes 5 minutes with the card in the box.'],
          ['New router arrived and works perfectly. Thanks!', 'Got it, everything is back to normal.', 'Thanks. How do I send back the old one?'],
          ['Great! Please send the old one back with the return label in the box.', "Glad to hear it! I'll close this conversation.", 'Use the return label in the box and drop it at any parcel point within 14 days.'],
        ],
        linked: [5],
      },
      portforward: {
        subject: ['Port forwarding on {router}', 'Open a port for my NAS'],
        steps: [
          ['How do I set up port forwarding on the {router}? I need it for [my NAS|a game server|my security cameras].'],
          ['Sure. Open http://192.168.178.1, log in with the password on the sticker, go to Internet → Permit Access → Port Sharing, and add the device and port. Want step-by-step screenshots?'],
          ['That worked, thanks!', 'Yes please, screenshots would help.'],
          ['Great, have fun with it!', 'Here you go: https://help.fibrelink.test/port-forwarding. Let me know if you get stuck.'],
          thanks, closing,
        ],
        linked: [3],
      },
      ownrouter: {
        subject: ['Use my own router', 'Bridge mode for my own router'],
        steps: [
          ['Can I use my own router instead of the {router}?', 'I want to put the {router} in bridge mode and use my own mesh system. Possible?'],
          ["Yes, you can. Put your own router behind ours and set the {router} to bridge mode, or enter our fibre settings (VLAN 6, DHCP) in your own router. Shall I send the guide?"],
          ['Please send the guide.', 'Yes please.'],
          ['Here it is: https://help.fibrelink.test/own-router. Let me know if you get stuck.'],
          thanks, closing,
        ],
      },
    },
  },
  fault: {
    key: 'fault', team: 'Technical', skill: 'technical', tags: ['connection-drops'], priority: [['normal', 70], ['high', 30]],
    scripts: {
      main: {
        subject: ['Connection drops several times a day', 'Internet keeps disconnecting', 'Unstable connection'],
        steps: [
          ['My connection drops a few times a day for a minute or two. [It started last week.|It is driving me crazy.]', 'Every evening around 21:00 the internet disconnects.', 'My video calls keep disconnecting, is something wrong with the line?'],
          ["I can see {drops} short disconnections on your line in the last 7 days. That usually points at the fibre cable or the connection box in your home. Could you check the green cable isn't bent sharply?", "Our monitoring shows your line losing signal briefly several times. I'd like a technician to measure the line. Would {visitDate} between 08:00 and 12:00 work?"],
          ['The cable looks fine. Can someone come and look?', '{visitDate} in the morning is fine.'],
          ['Booked: technician {tech} will visit on {visitDate} between 08:00 and 12:00. You will get a text when {tech} is on the way.', 'All set, {tech} comes on {visitDate}. No costs if the fault is on our side.'],
          ['{tech} replaced the connection box, connection has been stable since. Thanks!', 'The technician fixed it, it is stable now. Thank you.'],
          ['Great to hear! Thanks for letting us know.', "Excellent. I'll close this; you can always reply here."],
        ],
        linked: [2],
      },
    },
  },
};
